package org.eef4j.core.format;

import org.eef4j.core.trajectory.Role;

/** The role names of the ShareGPT/FastChat family ("human", "gpt", "system") that ETO and AgentGym files use. */
final class ChatRoles {

  private ChatRoles() {}

  static Role fromShareGpt(String from) {
    return switch (from) {
      case "human", "user" -> Role.USER;
      case "gpt", "assistant" -> Role.ASSISTANT;
      case "system" -> Role.SYSTEM;
      default -> throw new IllegalArgumentException("unknown speaker '" + from + "' (expected human, gpt or system)");
    };
  }

  static String toShareGpt(Role role) {
    return switch (role) {
      case USER -> "human";
      case ASSISTANT -> "gpt";
      case SYSTEM -> "system";
    };
  }

  static Role fromOpenAi(String role) {
    return switch (role) {
      case "user" -> Role.USER;
      case "assistant" -> Role.ASSISTANT;
      case "system", "developer" -> Role.SYSTEM;
      default -> throw new IllegalArgumentException("unknown role '" + role + "' (expected system, user or assistant)");
    };
  }

  static String toOpenAi(Role role) {
    return role.name().toLowerCase(java.util.Locale.ROOT);
  }
}
