/**
 * The WebShop text environment. {@link org.eef4j.webshop.env.WebShop} holds what every session reads (catalogue,
 * index, goals) and is shared; {@link org.eef4j.webshop.env.WebShopEnv} is one agent's session: it parses actions
 * ({@link org.eef4j.webshop.env.Action}), moves between {@link org.eef4j.webshop.env.Page}s, and shows them as the
 * original's text observations and clickables ({@link org.eef4j.webshop.env.PageView}).
 */
package org.eef4j.webshop.env;
