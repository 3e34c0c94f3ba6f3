package org.eef4j.sciworld.sim;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * One simulator's own copy of the jar's classes. The simulator keeps its state in JVM-wide statics (its random
 * generator, the simplifications, the object uid counter, the type-id table, the console it prints to), so two
 * simulators in one class loader would interfere; each {@link Simulator} has a loader of its own. The parent is the
 * platform loader: the simulator sees the JDK and its jar, nothing of eef4j.
 */
final class SimulatorClassLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  private final JarImage image;
  private final String jarUri;

  SimulatorClassLoader(JarImage image, String name) {
    super(name, ClassLoader.getPlatformClassLoader());
    this.image = image;
    this.jarUri = image.jar().path().toUri().toString();
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = image.classBytes(name);
    if (bytes == null) {
      throw new ClassNotFoundException(name + " (not in " + image.jar().path() + ")");
    }
    return defineClass(name, bytes, 0, bytes.length);
  }

  /** Resources read from the jar itself (the simulator reads none today; scala-library reads its properties). */
  @Override
  protected URL findResource(String name) {
    if (!image.hasEntry(name)) {
      return null;
    }
    try {
      return URI.create("jar:" + jarUri + "!/" + name).toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(url));
  }
}
