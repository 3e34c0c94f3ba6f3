package org.eef4j.sciworld.cli;

import picocli.CommandLine.Command;

/** {@code eef4j sciworld ...}: use ScienceWorld directly (play it, serve it, measure the scripted expert). */
@Command(
    name = "sciworld",
    mixinStandardHelpOptions = true,
    description = "Use SciWorld (ScienceWorld's own simulator, in-process): play it in the terminal, serve it over"
        + " AgentGym's HTTP protocol, or measure the scripted expert.",
    subcommands = {PlayCommand.class, ServeCommand.class, ExpertCommand.class})
public final class SciWorldCommand {}
