package org.eef4j.cli.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The machine a run started on, recorded under run.json's {@code machine} (never compared on resume: see
 * {@link org.eef4j.core.pipeline.RunDirectory#UNCOMPARED}), so that a reader of the results knows where they came from.
 * Facts on which results depend belong here too, with the README saying which figures hold on which machines.
 */
final class MachineFacts {

  private MachineFacts() {}

  static ObjectNode describe() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("processors", Runtime.getRuntime().availableProcessors());
    n.put("os_arch", System.getProperty("os.arch"));
    n.put("os_name", System.getProperty("os.name"));
    n.put("java_version", Runtime.version().toString());
    return n;
  }
}
