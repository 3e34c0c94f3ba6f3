/** A WebShop served over AgentGym's environment-server HTTP protocol ({@link org.eef4j.webshop.server.AgentGymServer}). */
package org.eef4j.webshop.server;
