/**
 * A toy world for the pipeline: {@link org.eef4j.core.pipeline.toy.ToyShop}, a deterministic shop with WebShop's page
 * grammar where hard tasks need paging; {@link org.eef4j.core.pipeline.toy.ToyExpert}, a scripted expert whose failures
 * hold the right plan, a harmful click and a recovery; and {@link org.eef4j.core.pipeline.toy.TabularStudent}, a student
 * that learns (page state → action kind) weights from exactly the turns it is trained on. Used by the pipeline's
 * end-to-end tests and, until the WebShop and engine adapters are wired into runs, by {@code eef4j demo}.
 */
package org.eef4j.core.pipeline.toy;
