/**
 * What WebShop's pages mean to a student and to the report: the student's view of them
 * ({@link org.eef4j.webshop.view.WebShopView}: products by position and options by group, {@link
 * org.eef4j.webshop.view.ClickNames}, over where a page keeps its fields, {@link
 * org.eef4j.webshop.view.ProductPageFields}), the aids-only control's rule ({@link
 * org.eef4j.webshop.view.WebShopControlRule}) and the action kinds skill usage counts ({@link
 * org.eef4j.webshop.view.WebShopActionKinds}). Each implements a core interface, so core and the student know no
 * WebShop.
 */
package org.eef4j.webshop.view;
