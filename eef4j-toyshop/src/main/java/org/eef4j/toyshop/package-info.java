/**
 * A toy world for the pipeline: {@link org.eef4j.toyshop.ToyShop}, a deterministic shop with WebShop's page
 * grammar where hard tasks need paging; {@link org.eef4j.toyshop.ToyExpert}, a scripted expert whose failures
 * hold the right plan, a harmful click and a recovery; and {@link org.eef4j.toyshop.TabularStudent}, a student
 * that learns (page state → action kind) weights from exactly the turns it is trained on. An environment beside
 * WebShop and SciWorld, with its own prompt ({@link org.eef4j.toyshop.ToyShop#prompt}); it runs the whole comparison
 * in seconds ({@code examples/toy.yaml}) and carries the pipeline's end-to-end tests.
 */
package org.eef4j.toyshop;
