package org.eef4j.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eef4j.core.pipeline.PaperShape;
import org.eef4j.core.pipeline.PaperShape.Claim;
import org.eef4j.core.pipeline.PaperShape.Verdict;
import org.junit.jupiter.api.Test;

class HeadlineTest {

  private static Claim learned(Verdict v) {
    return new Claim(PaperShape.STUDENT_LEARNED, v, "SFT 70.0% ± 0.0 against aids only 70.0% ± 0.0: level");
  }

  private static final Claim BEATS_EXPERT = new Claim("the student beats the expert", Verdict.HOLDS, "SFT 70.0%");

  @Test
  void aStudentLevelWithItsControlIsSaidFirst() {
    var line = ReportWriter.headline(new PaperShape(List.of(BEATS_EXPERT, learned(Verdict.FAILS))));
    assertThat(line).hasValueSatisfying(l -> assertThat(l)
        .startsWith("the student learned nothing its aids do not win alone")
        .contains("SFT 70.0% ± 0.0 against aids only 70.0% ± 0.0")
        .contains("Real models"));
  }

  @Test
  void aStudentThatBeatsItsControlOrARunWithoutOneGetsNoHeadline() {
    assertThat(ReportWriter.headline(new PaperShape(List.of(BEATS_EXPERT, learned(Verdict.HOLDS))))).isEmpty();
    assertThat(ReportWriter.headline(new PaperShape(List.of(BEATS_EXPERT, learned(Verdict.NOT_MEASURED))))).isEmpty();
  }
}
