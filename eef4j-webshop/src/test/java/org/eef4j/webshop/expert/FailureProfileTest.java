package org.eef4j.webshop.expert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FailureProfileTest {

  @Test
  void presetsAndOverrides() {
    assertThat(FailureProfile.parse("gpt4")).isEqualTo(FailureProfile.GPT4);
    assertThat(FailureProfile.parse("weaker")).isEqualTo(FailureProfile.WEAKER);
    FailureProfile p = FailureProfile.parse("oracle:give_up_paging=1, stall=0.25");
    assertThat(p.giveUpPaging()).isEqualTo(1.0);
    assertThat(p.stall()).isEqualTo(0.25);
    assertThat(p.wrongOption()).isZero();
    assertThat(p.name()).isEqualTo("oracle-custom");
    for (FailureMode m : FailureMode.values()) {
      assertThat(FailureProfile.NONE.with(m, 0.5).probability(m)).isEqualTo(0.5);
    }
  }

  @Test
  void badSpecsSayWhatIsWrong() {
    assertThatThrownBy(() -> FailureProfile.parse("gpt5")).hasMessageContaining("unknown expert profile 'gpt5'");
    assertThatThrownBy(() -> FailureProfile.parse("gpt4:stal=0.1")).hasMessageContaining("unknown failure mode 'stal'");
    assertThatThrownBy(() -> FailureProfile.parse("gpt4:stall")).hasMessageContaining("not mode=probability");
    assertThatThrownBy(() -> FailureProfile.parse("gpt4:stall=x")).hasMessageContaining("no number");
    assertThatThrownBy(() -> FailureProfile.parse("gpt4:stall=1.5")).hasMessageContaining("outside [0, 1]");
    assertThatThrownBy(() -> new FailureProfile("a b", 0, 0, 0, 0, 0, 0, 0)).hasMessageContaining("profile name");
  }
}
