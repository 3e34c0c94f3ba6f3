/**
 * The HTTP foundation every eef4j server stands on, in one place: Jetty 12 on virtual threads with every Jetty-side
 * error written in the protocol's JSON ({@link org.eef4j.http.JettyServers}), bounded request bodies answered 413 on a
 * connection that stays usable, idle timeouts longer than client pools keep connections, the JSON a request carries
 * ({@link org.eef4j.http.JsonRequests}), and the bounded session table of AgentGym's environment servers
 * ({@link org.eef4j.http.SessionTable}).
 *
 * <p>Why a module of its own: the engine's OpenAI-compatible server and the WebShop and SciWorld environment servers
 * need the same guarantees (no connection dropped, every error in JSON, bodies bounded), and one concept belongs in one
 * place so a fix reaches all three. It is a leaf that depends on Jetty and Jackson only, nothing of eef4j's, so the
 * engine still depends on nothing of the method and the environments still do not depend on the engine.
 */
package org.eef4j.http;
