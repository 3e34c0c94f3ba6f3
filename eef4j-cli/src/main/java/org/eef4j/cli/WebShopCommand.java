package org.eef4j.cli;

import org.eef4j.cli.webshop.GenerateCommand;
import org.eef4j.cli.webshop.PlayCommand;
import org.eef4j.cli.webshop.ServeCommand;
import picocli.CommandLine.Command;

/** {@code eef4j webshop ...}: use the WebShop environment directly (play it, serve it). */
@Command(
    name = "webshop",
    mixinStandardHelpOptions = true,
    description = "Use the WebShop environment: play it in the terminal or serve it over AgentGym's HTTP protocol.",
    subcommands = {PlayCommand.class, ServeCommand.class, GenerateCommand.class})
public final class WebShopCommand {}
