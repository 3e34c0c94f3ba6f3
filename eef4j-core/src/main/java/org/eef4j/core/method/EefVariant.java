package org.eef4j.core.method;

/**
 * The EEF rows the project runs side by side (EEF.md "Baselines and variants"), each a preset over {@link EefOptions}.
 * The M sweep is {@link EefOptions#withM}; "EEF, several experts" is EEF fed the failed trajectories of more than one
 * expert, which needs no option here.
 */
public enum EefVariant {
  EEF,
  DS0_ONLY,
  DR_ONLY,
  NO_MASKING,
  RANDOM_SELECTION;

  public EefOptions apply(EefOptions base) {
    return switch (this) {
      case EEF -> base;
      case DS0_ONLY -> base.withDatasets(true, false);
      case DR_ONLY -> base.withDatasets(false, true);
      case NO_MASKING -> base.withMaskHarmful(false);
      case RANDOM_SELECTION -> base.withSolutionSelection(SolutionSelection.RANDOM);
    };
  }
}
