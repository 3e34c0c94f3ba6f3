package org.eef4j.core.method;

/**
 * What one EEF data-building round found (EEF.md "Metrics every run reports").
 *
 * @param failedExpertTrajectories failed expert trajectories explored
 * @param exploredStates intermediate states explored (initial states not counted)
 * @param initialSuccesses successful rollouts from initial states
 * @param intermediateSuccesses successful rollouts from expert prefixes
 * @param beneficialActions expert actions labelled beneficial
 * @param harmfulActions expert actions labelled potentially harmful
 * @param ds0 |D_s0|: examples for initial states of unsolved tasks
 * @param dr |D_r|: examples for recovery states
 * @param trainedActions action turns with mask 1 over the whole training set
 * @param maskedActions action turns kept in context with mask 0 over the whole training set
 */
public record EefStats(
    int failedExpertTrajectories,
    int exploredStates,
    int initialSuccesses,
    int intermediateSuccesses,
    int beneficialActions,
    int harmfulActions,
    int ds0,
    int dr,
    int trainedActions,
    int maskedActions) {}
