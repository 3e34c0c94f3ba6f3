package org.eef4j.core.trajectory;

/** Who speaks a chat message. The environment speaks as the user, the policy as the assistant. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT
}
