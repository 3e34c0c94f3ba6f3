package org.eef4j.sciworld.sim;

import static java.lang.constant.ConstantDescs.CD_String;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_void;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The simulator jar's classes read once into memory, shared by every {@link SimulatorClassLoader}: each simulator gets
 * its own copies of the classes (and so of their statics) without reading the jar again.
 *
 * <p>One class is changed on the way: {@code scala.sys.package$.exit(int)}, through which all of the simulator's exits
 * go (its parser and path finder call {@code sys.exit(1)} on some malformed referents; the jar has no other call of
 * {@code System.exit} or {@code Runtime.exit}). Java 25 can no longer veto an exit (the SecurityManager is gone), so
 * the method's body is replaced by one that throws {@link #EXIT_CLASS}, a {@link Error} generated into each loader:
 * the exit then ends the simulator's call, not the JVM. Scala's {@code sys.exit} is typed {@code Nothing} (its callers
 * never continue after it), so throwing is what its callers already expect of it.
 */
final class JarImage {

  /** The error thrown in place of an exit; generated, so that the jar's classes can see it. */
  static final String EXIT_CLASS = "eef4j.simulator.SimulatorExit";
  private static final ClassDesc EXIT_DESC = ClassDesc.of(EXIT_CLASS);
  private static final String SYS_PACKAGE = "scala/sys/package$.class";

  private final SimulatorJar jar;
  private final Map<String, byte[]> entries;

  private JarImage(SimulatorJar jar, Map<String, byte[]> entries) {
    this.jar = jar;
    this.entries = entries;
  }

  static JarImage read(SimulatorJar jar) {
    Map<String, byte[]> entries = new HashMap<>();
    try (JarFile file = new JarFile(jar.path().toFile())) {
      for (var it = file.entries(); it.hasMoreElements(); ) {
        JarEntry e = it.nextElement();
        if (!e.isDirectory()) {
          entries.put(e.getName(), file.getInputStream(e).readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ScienceWorld simulator jar " + jar.path(), e);
    }
    byte[] sys = entries.get(SYS_PACKAGE);
    if (sys == null) {
      throw new SimulatorJarException(jar.path() + " has no " + SYS_PACKAGE + ": expected the self-contained jar"
          + " of ScienceWorld's Python wheel, with scala-library inside");
    }
    entries.put(SYS_PACKAGE, withoutExit(sys));
    entries.put(EXIT_CLASS.replace('.', '/') + ".class", exitClass());
    return new JarImage(jar, Map.copyOf(entries));
  }

  SimulatorJar jar() {
    return jar;
  }

  /** The bytes of a class by binary name ({@code a.b.C}), or null. */
  byte[] classBytes(String name) {
    return entries.get(name.replace('.', '/') + ".class");
  }

  boolean hasEntry(String path) {
    return entries.containsKey(path);
  }

  /** {@code scala.sys.package$} with {@code exit(int)} throwing {@link #EXIT_CLASS} instead of ending the JVM. */
  private static byte[] withoutExit(byte[] original) {
    ClassFile cf = ClassFile.of();
    ClassModel model = cf.parse(original);
    MethodTypeDesc exitType = MethodTypeDesc.of(ClassDesc.of("scala.runtime.Nothing$"), CD_int);
    boolean[] replaced = {false};
    byte[] out = cf.transformClass(model, (builder, element) -> {
      if (element instanceof MethodModel m && m.methodName().equalsString("exit")
          && m.methodTypeSymbol().equals(exitType)) {
        replaced[0] = true;
        builder.withMethodBody(m.methodName().stringValue(), exitType, m.flags().flagsMask(), code -> code
            .new_(EXIT_DESC)
            .dup()
            .iload(1)
            .invokespecial(EXIT_DESC, ConstantDescs.INIT_NAME, MethodTypeDesc.of(CD_void, CD_int))
            .athrow());
      } else {
        builder.with(element);
      }
    });
    if (!replaced[0]) {
      throw new IllegalStateException("scala.sys.package$ has no exit(int) method to intercept");
    }
    return out;
  }

  /** {@code public final class SimulatorExit extends Error { public final int status; SimulatorExit(int status) }}. */
  private static byte[] exitClass() {
    ClassDesc error = ClassDesc.of("java.lang.Error");
    return ClassFile.of().build(EXIT_DESC, c -> c
        .withFlags(AccessFlag.PUBLIC, AccessFlag.FINAL, AccessFlag.SUPER)
        .withSuperclass(error)
        .withField("status", CD_int, ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL)
        .withMethodBody(ConstantDescs.INIT_NAME, MethodTypeDesc.of(CD_void, CD_int), ClassFile.ACC_PUBLIC, code -> code
            .aload(0)
            .ldc("the ScienceWorld simulator called sys.exit")
            .invokespecial(error, ConstantDescs.INIT_NAME, MethodTypeDesc.of(CD_void, CD_String))
            .aload(0)
            .iload(1)
            .putfield(EXIT_DESC, "status", CD_int)
            .return_()));
  }
}
