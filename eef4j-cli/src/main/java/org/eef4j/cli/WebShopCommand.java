package org.eef4j.cli;

import picocli.CommandLine.Command;

/** {@code eef4j webshop ...}: use the WebShop environment directly (play it, serve it). */
@Command(
    name = "webshop",
    mixinStandardHelpOptions = true,
    description = "Use the WebShop environment: play it in the terminal or serve it over AgentGym's HTTP protocol.",
    subcommands = {})
public final class WebShopCommand {}
