package org.eef4j.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  @TempDir Path dir;

  @Test
  void f32RoundTripIsExactAndKeepsNamesShapesAndMetadata() throws IOException {
    float[] a = {1.5f, -2.25f, 3e-8f, Float.MAX_VALUE, -0f, 7f};
    float[] b = {42f};
    Path p = dir.resolve("m.safetensors");
    new SafeTensorsWriter()
        .add("model.a", DType.F32, new long[] {2, 3}, a, 0)
        .add("b", DType.F32, new long[] {1}, b, 0)
        .metadata("format", "pt")
        .write(p);
    try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
      assertThat(f.names()).containsExactly("model.a", "b");
      assertThat(f.info("model.a").shape()).containsExactly(2, 3);
      assertThat(f.readFloats("model.a")).containsExactly(a);
      assertThat(f.readFloats("b")).containsExactly(b);
      assertThat(f.metadata()).containsEntry("format", "pt");
    }
    long headerLen = ByteBuffer.wrap(Files.readAllBytes(p), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLen % 8).isZero(); // header padded: the data section starts aligned
    assertThat(Files.size(p)).isEqualTo(8 + headerLen + 4L * (a.length + b.length));
  }

  @Test
  void bf16RoundsToNearestEvenAndReadsBack() {
    float[] x = {1f, 1.00390625f /* halfway, rounds to even = 1 */, 1.01171875f /* halfway, up */, -3.14159f, 1e30f};
    Path p = dir.resolve("bf.safetensors");
    new SafeTensorsWriter().add("x", DType.BF16, new long[] {5}, x, 0).write(p);
    try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
      float[] y = f.readFloats("x");
      assertThat(y[0]).isEqualTo(1f);
      assertThat(y[1]).isEqualTo(1f);
      assertThat(y[2]).isEqualTo(1.015625f);
      for (int i = 0; i < x.length; i++) assertThat(y[i]).isCloseTo(x[i], org.assertj.core.data.Percentage.withPercentage(0.4));
    }
  }

  @Test
  void readsF16AndI64WrittenByHand() throws IOException {
    short[] halves = {Float.floatToFloat16(0.5f), Float.floatToFloat16(-2f), Float.floatToFloat16(65504f)};
    ByteBuffer data = ByteBuffer.allocate(6 + 16).order(ByteOrder.LITTLE_ENDIAN);
    for (short h : halves) data.putShort(h);
    data.putLong(7).putLong(-1);
    Path p = write("h.safetensors",
        "{\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,6]},"
            + "\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[6,22]}}", data.array());
    try (SafeTensorsFile f = SafeTensorsFile.open(p)) {
      assertThat(f.readFloats("h")).containsExactly(0.5f, -2f, 65504f);
      assertThat(f.readLongs("ids")).containsExactly(7, -1);
      assertThatThrownBy(() -> f.readFloats("ids")).hasMessageContaining("ids is I64");
    }
  }

  @Test
  void truncatedFileNamesTheTensorThatRunsPastTheEnd() throws IOException {
    Path p = write("t.safetensors", "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[12]);
    assertThatThrownBy(() -> SafeTensorsFile.open(p))
        .isInstanceOf(SafeTensorsException.class)
        .hasMessageContaining("tensor w")
        .hasMessageContaining("truncated");
  }

  @Test
  void shapeThatDisagreesWithTheByteCountIsNamed() throws IOException {
    Path p = write("s.safetensors", "{\"w\":{\"dtype\":\"BF16\",\"shape\":[3,2],\"data_offsets\":[0,16]}}", new byte[16]);
    assertThatThrownBy(() -> SafeTensorsFile.open(p)).hasMessageContaining("tensor w").hasMessageContaining("[3, 2]");
  }

  @Test
  void unknownDtypeOverlapAndBadHeaderAreRefused() throws IOException {
    Path dtype = write("d.safetensors", "{\"w\":{\"dtype\":\"Q4\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]);
    assertThatThrownBy(() -> SafeTensorsFile.open(dtype)).hasMessageContaining("unsupported dtype");
    Path overlap = write("o.safetensors", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]);
    assertThatThrownBy(() -> SafeTensorsFile.open(overlap)).hasMessageContaining("overlap");
    Path json = write("j.safetensors", "{not json", new byte[0]);
    assertThatThrownBy(() -> SafeTensorsFile.open(json)).hasMessageContaining("not valid JSON");
    Path tiny = dir.resolve("tiny.safetensors");
    Files.write(tiny, new byte[] {1, 2});
    assertThatThrownBy(() -> SafeTensorsFile.open(tiny)).hasMessageContaining("too short");
    Path huge = dir.resolve("huge.safetensors");
    Files.write(huge, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).array());
    assertThatThrownBy(() -> SafeTensorsFile.open(huge)).hasMessageContaining("header length 1000");
  }

  @Test
  void shardedCheckpointResolvesEachTensorToItsShard() throws IOException {
    float[] a = {1, 2, 3};
    float[] b = {4, 5};
    new SafeTensorsWriter().add("a", DType.F32, new long[] {3}, a, 0).write(dir.resolve("model-00001-of-00002.safetensors"));
    new SafeTensorsWriter().add("b", DType.BF16, new long[] {2}, b, 0).write(dir.resolve("model-00002-of-00002.safetensors"));
    Files.writeString(dir.resolve(Checkpoint.INDEX), "{\"metadata\":{\"total_size\":16},\"weight_map\":{"
        + "\"a\":\"model-00001-of-00002.safetensors\",\"b\":\"model-00002-of-00002.safetensors\"}}");
    try (TensorSource s = Checkpoint.open(dir)) {
      assertThat(s.names()).containsExactlyInAnyOrder("a", "b");
      assertThat(s.readFloats("a")).containsExactly(a);
      assertThat(s.readFloats("b")).containsExactly(b);
      assertThatThrownBy(() -> s.info("c")).hasMessageContaining("no tensor named c");
    }
    Files.writeString(dir.resolve(Checkpoint.INDEX), "{\"weight_map\":{\"a\":\"model-00002-of-00002.safetensors\"}}");
    assertThatThrownBy(() -> Checkpoint.open(dir)).hasMessageContaining("a is mapped to model-00002-of-00002");
  }

  @Test
  void writerRefusesDuplicatesAndShortSources() {
    SafeTensorsWriter w = new SafeTensorsWriter().add("a", DType.F32, new long[] {1}, new float[1], 0);
    assertThatThrownBy(() -> w.add("a", DType.F32, new long[] {1}, new float[1], 0)).hasMessageContaining("twice");
    assertThatThrownBy(() -> w.add("b", DType.F32, new long[] {2, 2}, new float[3], 0)).hasMessageContaining("runs past");
    assertThatThrownBy(() -> w.add("c", DType.F16, new long[] {1}, new float[1], 0)).hasMessageContaining("F32 or BF16");
  }

  private Path write(String name, String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h).put(data);
    Path p = dir.resolve(name);
    Files.write(p, Arrays.copyOf(b.array(), b.capacity()));
    return p;
  }
}
