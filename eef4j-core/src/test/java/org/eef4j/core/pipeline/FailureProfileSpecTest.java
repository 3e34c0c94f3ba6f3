package org.eef4j.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureProfileSpecTest {

  enum Mode { STALL, WRONG_OPTION }

  record Profile(String name, Map<Mode, Double> p) {
    Profile with(Mode m, double v) {
      Map<Mode, Double> copy = new EnumMap<>(p);
      copy.put(m, v);
      return new Profile(name, copy);
    }
  }

  private static final Profile GPT4 = new Profile("gpt4", Map.of(Mode.STALL, 0.2, Mode.WRONG_OPTION, 0.1));

  private static final FailureProfileSpec<Profile, Mode> SPEC = new FailureProfileSpec<>(
      name -> {
        if (!name.equals("gpt4")) throw new IllegalArgumentException("unknown expert profile '" + name + "'");
        return GPT4;
      },
      Mode.class, Profile::with, p -> new Profile(p.name() + "-custom", p.p()));

  @Test
  void aPresetAloneIsThePreset() {
    assertThat(SPEC.parse(" gpt4 ")).isSameAs(GPT4);
  }

  @Test
  void overridesReplaceTheirModesAndRenameTheProfile() {
    Profile p = SPEC.parse("gpt4:stall=0, wrong_option = 0.5");
    assertThat(p.name()).isEqualTo("gpt4-custom");
    assertThat(p.p()).containsEntry(Mode.STALL, 0.0).containsEntry(Mode.WRONG_OPTION, 0.5);
  }

  @Test
  void badOverridesNameTheSpecAndThePart() {
    assertThatThrownBy(() -> SPEC.parse("gpt4:stall")).hasMessageContaining("'stall' is not mode=probability");
    assertThatThrownBy(() -> SPEC.parse("gpt4:slip=1"))
        .hasMessageContaining("unknown failure mode 'slip'").hasMessageContaining("[stall, wrong_option]");
    assertThatThrownBy(() -> SPEC.parse("gpt4:stall=x")).hasMessageContaining("'stall=x' has no number after '='");
    assertThatThrownBy(() -> SPEC.parse("gpt5")).hasMessageContaining("unknown expert profile 'gpt5'");
  }
}
