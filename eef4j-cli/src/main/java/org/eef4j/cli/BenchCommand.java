package org.eef4j.cli;

import org.eef4j.cli.webshop.WebShopBenchCommand;
import picocli.CommandLine.Command;

/** {@code eef4j bench ...}: benchmarks that print their figures (timings never go in tests). */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks that print their figures: WebShop steps per second, engine tokens per second.",
    subcommands = {WebShopBenchCommand.class, org.eef4j.cli.webshop.ExpertBenchCommand.class,
        org.eef4j.cli.webshop.SearchBenchCommand.class, org.eef4j.cli.engine.BenchEngineCommand.class,
        org.eef4j.sciworld.cli.SciWorldBenchCommand.class})
public final class BenchCommand {}
