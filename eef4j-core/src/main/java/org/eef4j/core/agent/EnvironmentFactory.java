package org.eef4j.core.agent;

/** Opens a fresh {@link Environment}; called once per episode, possibly from several threads at once. */
@FunctionalInterface
public interface EnvironmentFactory {
  Environment open();
}
