package org.eef4j.sciworld.sim;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One ScienceWorld simulator ({@code scienceworld.runtime.pythonapi.PythonInterface}, the object Python drives) in a
 * class loader of its own, called by reflection: eef4j has no compile-time dependency on the jar, the user brings it.
 *
 * <p>Before the simulator starts, its loader's copy of the scala console is pointed at a null stream (it prints a
 * lot), and its type-id table is redirected: the simulator reads {@code object_type_ids.tsv} from the working
 * directory and writes it there when it meets a new type; here it reads the table beside the jar and would write
 * into a private temporary file, so nothing is ever written into the user's working directory.
 *
 * <p>Not thread-safe: one caller at a time (an environment, a server session). A simulator that called
 * {@code sys.exit} ({@link SimulatorExitException}) is {@link #broken()} and must not be used again.
 */
public final class Simulator implements AutoCloseable {

  private static final AtomicInteger COUNT = new AtomicInteger();

  private final SimulatorJar jar;
  private final SimulatorClassLoader loader;
  private final Object api;
  private final Method load;
  private final Method reset;
  private final Method step;
  private final Method getScore;
  private final Method getCompleted;
  private final Method getNumMoves;
  private final Method getTaskDescription;
  private final Method getTaskNames;
  private final Method getTaskMaxVariations;
  private final Method getGoldActionSequence;
  private final Method getPossibleActions;
  private final Method getPossibleObjects;
  private final Method getValidActionObjectCombinations;
  private final Method freeActionLook;
  private final Method freeActionInventory;
  private final Method getGoalProgressStr;
  private final Method getVariationsTrain;
  private final Method getVariationsDev;
  private final Method getVariationsTest;
  private final Path scratch;
  private boolean broken;

  Simulator(JarImage image, Path scratchDir) {
    this.jar = image.jar();
    this.loader = new SimulatorClassLoader(image, "sciworld-" + COUNT.incrementAndGet());
    try {
      silenceConsole(loader);
      this.scratch = Files.createTempFile(scratchDir, "object_type_ids-", ".tsv");
      Files.delete(scratch); // the simulator creates it only if it meets a type the table lacks
      redirectTypeTable(loader, jar, scratch);
      Class<?> type = Class.forName(SimulatorJar.ENTRY_CLASS, true, loader);
      this.api = call(type.getConstructor(), null);
      this.load = type.getMethod("load", String.class, int.class, String.class, boolean.class);
      this.reset = type.getMethod("reset");
      this.step = type.getMethod("step", String.class);
      this.getScore = type.getMethod("getScore");
      this.getCompleted = type.getMethod("getCompleted");
      this.getNumMoves = type.getMethod("getNumMoves");
      this.getTaskDescription = type.getMethod("getTaskDescription");
      this.getTaskNames = type.getMethod("getTaskNames");
      this.getTaskMaxVariations = type.getMethod("getTaskMaxVariations", String.class);
      this.getGoldActionSequence = type.getMethod("getGoldActionSequence");
      this.getPossibleActions = type.getMethod("getPossibleActions");
      this.getPossibleObjects = type.getMethod("getPossibleObjects");
      this.getValidActionObjectCombinations = type.getMethod("getValidActionObjectCombinations");
      this.freeActionLook = type.getMethod("freeActionLook");
      this.freeActionInventory = type.getMethod("freeActionInventory");
      this.getGoalProgressStr = type.getMethod("getGoalProgressStr");
      this.getVariationsTrain = type.getMethod("getVariationsTrain");
      this.getVariationsDev = type.getMethod("getVariationsDev");
      this.getVariationsTest = type.getMethod("getVariationsTest");
    } catch (ReflectiveOperationException e) {
      throw new SimulatorJarException(jar.path() + " does not have the PythonInterface API that ScienceWorld's Python"
          + " package calls (" + e + "); expected scienceworld.jar from ScienceWorld's Python wheel, 1.2 or later");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the simulator's scratch file in " + scratchDir, e);
    }
  }

  /** The scala console of this loader prints to nowhere: the simulator narrates every load and step. */
  private static void silenceConsole(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> console = Class.forName("scala.Console$", true, loader);
    Object module = console.getField("MODULE$").get(null);
    Class<?> dynamicVariable = Class.forName("scala.util.DynamicVariable", true, loader);
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    for (String name : List.of("outVar", "errVar")) {
      Field field = console.getDeclaredField(name);
      field.setAccessible(true);
      field.set(module, dynamicVariable.getConstructor(Object.class).newInstance(nowhere));
    }
  }

  /**
   * {@code util.UniqueTypeID} reads its table from the relative path {@code object_type_ids.tsv} when its class
   * initializes, and saves the whole table to that path whenever it meets a new type. Initializing it here (its read of
   * a missing file only warns, on the silenced console) and then replacing its table and file name keeps the working
   * directory untouched.
   */
  private static void redirectTypeTable(ClassLoader loader, SimulatorJar jar, Path scratch)
      throws ReflectiveOperationException {
    Class<?> table = Class.forName("util.UniqueTypeID$", true, loader);
    Object module = table.getField("MODULE$").get(null);
    Field fileName = table.getDeclaredField("FILENAME_IDS");
    Field lut = table.getDeclaredField("lut");
    Field nextId = table.getDeclaredField("nextID");
    for (Field f : List.of(fileName, lut, nextId)) {
      f.setAccessible(true);
    }
    if (jar.typeTable().isPresent()) {
      Object loaded = table.getMethod("load", String.class).invoke(module, jar.typeTable().get().toString());
      lut.set(module, loaded);
      nextId.setLong(module, ((Number) loaded.getClass().getMethod("size").invoke(loaded)).longValue());
    } else {
      Object empty = lut.get(module);
      empty.getClass().getMethod("clear").invoke(empty);
      nextId.setLong(module, 0);
    }
    fileName.set(module, scratch.toString());
  }

  public SimulatorJar jar() {
    return jar;
  }

  /**
   * Whether the simulator called {@code sys.exit} or was {@link #discard}ed; it must then be closed and never used
   * again.
   */
  public boolean broken() {
    return broken;
  }

  /** Marks the simulator as not to be reused (its state is in doubt, e.g. after it threw): the pool drops it. */
  public void discard() {
    broken = true;
  }

  /**
   * Loads a task variation ({@code PythonInterface.load}); {@code simplifications} as the simulator takes them
   * ("easy", or a comma-separated list). Returns the simulator's error text, empty when the load succeeded.
   */
  public String load(String taskName, int variation, String simplifications, boolean generateGoldPath) {
    return (String) call(load, api, taskName, variation, simplifications, generateGoldPath);
  }

  /**
   * ScienceWorld's own shutdown, which ends its process with {@code sys.exit}; here it throws
   * {@link SimulatorExitException} and leaves this simulator broken, the JVM running.
   */
  public void shutdown() {
    Method shutdown;
    try {
      shutdown = api.getClass().getMethod("shutdown");
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(jar.path() + " has no PythonInterface.shutdown", e);
    }
    call(shutdown, api);
  }

  /** Back to the loaded task's initial state. */
  public void reset() {
    call(reset, api);
  }

  /** Takes one action and returns the observation. */
  public String step(String action) {
    return (String) call(step, api, action);
  }

  /** The task score in the simulator's units: 0..1, negative when the task failed. */
  public double score() {
    return (Double) call(getScore, api);
  }

  public boolean completed() {
    return (Boolean) call(getCompleted, api);
  }

  public int moves() {
    return ((Number) call(getNumMoves, api)).intValue();
  }

  public String taskDescription() {
    return (String) call(getTaskDescription, api);
  }

  /** The free (no time passes) look around. */
  public String look() {
    return (String) call(freeActionLook, api);
  }

  public String inventory() {
    return (String) call(freeActionInventory, api);
  }

  public String goalProgress() {
    return (String) call(getGoalProgressStr, api);
  }

  /** The simulator's task names, in its order (ScienceWorld's task ids 1-1, 1-2, ... in turn). */
  public List<String> taskNames() {
    return strings(call(getTaskNames, api));
  }

  public int maxVariations(String taskName) {
    return (Integer) call(getTaskMaxVariations, api, taskName);
  }

  /** The gold action sequence of the loaded task; empty unless it was loaded with {@code generateGoldPath}. */
  public List<String> goldActions() {
    return strings(call(getGoldActionSequence, api));
  }

  public List<String> possibleActions() {
    return strings(call(getPossibleActions, api));
  }

  public List<String> possibleObjects() {
    return strings(call(getPossibleObjects, api));
  }

  public List<String> validActions() {
    return strings(call(getValidActionObjectCombinations, api));
  }

  /** The loaded task's train, dev or test variations, as the simulator splits them. */
  public List<Integer> variations(String split) {
    Object list = switch (split) {
      case "train" -> call(getVariationsTrain, api);
      case "dev" -> call(getVariationsDev, api);
      case "test" -> call(getVariationsTest, api);
      default -> throw new IllegalArgumentException("split '" + split + "' is not train, dev or test");
    };
    List<Integer> out = new ArrayList<>();
    for (Object o : (List<?>) list) {
      out.add(((Number) o).intValue());
    }
    return List.copyOf(out);
  }

  private static List<String> strings(Object javaList) {
    List<String> out = new ArrayList<>();
    for (Object o : (List<?>) javaList) {
      out.add((String) o);
    }
    return List.copyOf(out);
  }

  private Object call(java.lang.reflect.Executable target, Object receiver, Object... args) {
    if (broken) {
      throw new IllegalStateException("this ScienceWorld simulator called sys.exit earlier and cannot be used again");
    }
    try {
      return target instanceof Method m ? m.invoke(receiver, args)
          : ((java.lang.reflect.Constructor<?>) target).newInstance(args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause.getClass().getName().equals(JarImage.EXIT_CLASS)) {
        broken = true;
        throw new SimulatorExitException(target.getName(), args, cause);
      }
      if (cause instanceof StackOverflowError || cause instanceof OutOfMemoryError) {
        broken = true;
      }
      throw new SimulatorException("the ScienceWorld simulator failed in " + target.getName() + describe(args) + ": "
          + cause, cause);
    } catch (IllegalAccessException | InstantiationException e) {
      throw new IllegalStateException("cannot call " + target.getName() + " of " + jar.path(), e);
    }
  }

  static String describe(Object[] args) {
    if (args.length == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder("(");
    for (int i = 0; i < args.length; i++) {
      b.append(i == 0 ? "" : ", ").append(args[i] instanceof String s ? "'" + s + "'" : String.valueOf(args[i]));
    }
    return b.append(')').toString();
  }

  /** Drops the simulator: its loader, classes and state become garbage; deletes its scratch type table if written. */
  @Override
  public void close() {
    broken = true;
    try {
      Files.deleteIfExists(scratch);
    } catch (IOException e) {
      // a leftover file in the pool's temporary directory is removed with the directory
    }
  }
}
