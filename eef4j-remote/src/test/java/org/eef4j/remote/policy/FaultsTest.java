package org.eef4j.remote.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.eef4j.core.agent.RolloutResult;
import org.eef4j.core.trajectory.Termination;
import org.eef4j.core.trajectory.Trajectory;
import org.eef4j.remote.testing.FakeServer;
import org.eef4j.remote.testing.FakeServer.Fault;
import org.eef4j.remote.testing.Shared;
import org.eef4j.remote.testing.Shop;
import org.eef4j.student.tokens.ChatTokens;
import org.junit.jupiter.api.Test;

/**
 * Servers that fail: a request is retried (on the next replica) until it gets an answer or its tries run out, and then
 * only its own episode fails, recorded with the reason; the batch always completes.
 */
class FaultsTest {

  static final ChatTokens TOKENS = Shared.llama3();

  static RemoteOptions options(FakeServer... servers) {
    return RemotePolicyTest.options(ServerApi.VLLM,
        java.util.Arrays.stream(servers).map(FakeServer::uri).toArray(java.net.URI[]::new));
  }

  static FakeServer server() throws Exception {
    return new FakeServer(TOKENS, RemotePolicyTest.MODEL, Shop::model);
  }

  @Test
  void errorsAndGarbageAreRetriedAndTheEpisodeGoesOn() throws Exception {
    try (FakeServer s = server(); ServerClient client = new ServerClient(options(s))) {
      s.faults.addAll(List.of(Fault.ERROR_500, Fault.GARBAGE));
      RemotePolicy policy = new RemotePolicy(client, TOKENS, null);

      RolloutResult r = RemotePolicyTest.rollouts(policy, 1, 1);

      assertThat(r.trajectories().getFirst().success()).isTrue();
      assertThat(client.stats().retries()).isEqualTo(2);
      assertThat(s.bodies("/v1/completions")).hasSize(4); // 3 tries for the first turn, 1 for the second
      assertThat(policy.stats().failed()).isZero();
    }
  }

  @Test
  void aRequestThatKeepsFailingFailsItsEpisodeOnlyWithTheReasonRecorded() throws Exception {
    try (FakeServer s = server(); ServerClient client = new ServerClient(options(s))) {
      s.faults.addAll(List.of(Fault.ERROR_500, Fault.ERROR_500, Fault.ERROR_500)); // all 3 tries of one request
      s.faultsOnlyFor = "find item task_0 "; // the first episode's: the three run at once
      RemotePolicy policy = new RemotePolicy(client, TOKENS, null);

      RolloutResult r = RemotePolicyTest.rollouts(policy, 3, 1);

      Trajectory failed = r.trajectories().getFirst();
      assertThat(failed.termination()).isEqualTo(Termination.POLICY_FAILED);
      assertThat(failed.failure()).contains("answered 500").contains("3 tries");
      assertThat(r.trajectories().subList(1, 3)).allMatch(Trajectory::success);
      assertThat(policy.stats().failed()).isEqualTo(1);
    }
  }

  @Test
  void aRefusedRequestIsNotRetried() throws Exception {
    try (FakeServer s = server(); ServerClient client = new ServerClient(options(s))) {
      s.faults.add(Fault.BAD_REQUEST);

      RolloutResult r = RemotePolicyTest.rollouts(new RemotePolicy(client, TOKENS, null), 1, 1);

      assertThat(r.trajectories().getFirst().failure()).contains("400").contains("maximum context length");
      assertThat(s.bodies("/v1/completions")).hasSize(1);
    }
  }

  @Test
  void aServerThatDoesNotAnswerInTimeCountsAsFailing() throws Exception {
    try (FakeServer s = server();
        ServerClient client = new ServerClient(options(s).withTimeout(Duration.ofMillis(1000)))) {
      s.faults.add(Fault.HANG);

      RolloutResult r = RemotePolicyTest.rollouts(new RemotePolicy(client, TOKENS, null), 1, 1);

      assertThat(r.trajectories().getFirst().success()).isTrue();
      assertThat(client.stats().retries()).isEqualTo(1);
    }
  }

  @Test
  void aReplicaThatDiesMidStageHandsItsEpisodesToTheOthers() throws Exception {
    try (FakeServer a = server(); FakeServer b = server(); ServerClient client = new ServerClient(options(a, b))) {
      a.dieAfter = 5;
      RemotePolicy policy = new RemotePolicy(client, TOKENS, null);

      RolloutResult r = RemotePolicyTest.rollouts(policy, 40, 8);

      assertThat(r.trajectories()).hasSize(40).allMatch(Trajectory::success);
      assertThat(client.stats().retries()).isPositive();
      assertThat(b.bodies("/v1/completions").size()).isGreaterThan(a.bodies("/v1/completions").size());
    }
  }

  @Test
  void whenTheOnlyServerDiesTheRestOfTheStageIsRecordedFailedAndCompletes() throws Exception {
    try (FakeServer s = server(); ServerClient client = new ServerClient(options(s))) {
      s.dieAfter = 6;
      RemotePolicy policy = new RemotePolicy(client, TOKENS, null);

      RolloutResult r = RemotePolicyTest.rollouts(policy, 10, 2);

      assertThat(r.trajectories()).hasSize(10);
      long failed = r.trajectories().stream().filter(t -> t.termination() == Termination.POLICY_FAILED).count();
      // two episodes at a time, two requests each, six requests answered: each episode runs on its own thread, so
      // which episode gets which answer depends on timing. At most two episodes hold one unused answer when the server
      // dies, so the six answers complete at least two episodes and at most three; every other episode fails
      long succeeded = r.trajectories().stream().filter(Trajectory::success).count();
      assertThat(succeeded).isBetween(2L, 3L);
      assertThat(failed).isEqualTo(10 - succeeded);
      assertThat(r.trajectories()).filteredOn(t -> t.termination() == Termination.POLICY_FAILED)
          .allMatch(t -> t.failure() != null && t.failure().startsWith("the server failed"));
      assertThat(policy.stats().failed()).isEqualTo(failed);
    }
  }

  @Test
  void hundredsOfEpisodesAreInFlightAtOnce() throws Exception {
    try (FakeServer s = server();
        ServerClient client = new ServerClient(options(s).withTimeout(Duration.ofSeconds(30)))) {
      s.delayMillis = 1000; // long enough that a batch's requests overlap on a loaded machine too

      RolloutResult r = RemotePolicyTest.rollouts(new RemotePolicy(client, TOKENS, null), 300, 300);

      assertThat(r.trajectories()).allMatch(Trajectory::success);
      assertThat(s.maxInFlight.get()).isGreaterThanOrEqualTo(200);
    }
  }

  @Test
  void theRateLimitSpacesRequests() throws Exception {
    try (FakeServer s = server();
        ServerClient client = new ServerClient(options(s).withRate(50, 256))) {
      long t0 = System.nanoTime();
      RemotePolicyTest.rollouts(new RemotePolicy(client, TOKENS, null), 5, 5);
      double seconds = (System.nanoTime() - t0) / 1e9;
      // 10 requests at 50 per second cannot start within less than 9 intervals of 20 ms
      assertThat(seconds).isGreaterThanOrEqualTo(9 * 0.020);
    }
  }
}
