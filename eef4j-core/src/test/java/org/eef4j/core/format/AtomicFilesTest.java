package org.eef4j.core.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

  @Test
  void replacesTheTargetWholeAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("out.json");
    Files.writeString(target, "old");
    AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
    assertThat(Files.readString(target)).isEqualTo("new");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void aFailedWriteKeepsTheOldFileAndCleansUp(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("out.json");
    Files.writeString(target, "old");
    assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
      out.write('x');
      throw new IOException("disk full");
    })).hasMessageContaining("cannot write " + target);
    assertThat(Files.readString(target)).isEqualTo("old");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void othersCanReadWhatARunWrote(@TempDir Path dir) throws IOException {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "skipped: not a POSIX file system");
    Path target = dir.resolve("metrics.json");
    AtomicFiles.write(target, out -> out.write('{'));
    Path plain = Files.writeString(dir.resolve("plain.txt"), "as the user's umask makes it");
    // the same permissions as any file the user writes (owner-only only when the umask says so)
    assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
    assertThat(Files.getPosixFilePermissions(target)).contains(PosixFilePermission.OWNER_READ);
  }

  @Test
  void theContentAndTheRenameAreFlushedToTheDisk(@TempDir Path dir) throws IOException {
    java.util.List<Path> synced = new java.util.concurrent.CopyOnWriteArrayList<>();
    var before = AtomicFiles.synced;
    AtomicFiles.synced = synced::add;
    try {
      Path target = dir.resolve("metrics.json");
      AtomicFiles.write(target, out -> out.write('{'));
      // the temporary file before its rename, then the directory that now lists the target
      assertThat(synced).hasSize(2);
      assertThat(synced.get(0).getFileName().toString()).startsWith(".metrics.json.").endsWith(".tmp");
      assertThat(synced.get(1)).isEqualTo(dir.toAbsolutePath());

      synced.clear();
      Path checkpoint = Files.createDirectories(dir.resolve(".checkpoint.tmp/sub"));
      Files.writeString(checkpoint.resolve("model.safetensors"), "weights");
      AtomicFiles.syncTree(dir.resolve(".checkpoint.tmp"));
      assertThat(synced).containsExactly(checkpoint.resolve("model.safetensors"), checkpoint,
          dir.resolve(".checkpoint.tmp"));
    } finally {
      AtomicFiles.synced = before;
    }
  }
}
