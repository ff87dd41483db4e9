package org.umview.module;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The modules that can be loaded: the built-in ones, then those in UMVIEW_MODULE_PATH's jars. */
public final class ModuleCatalog {
    private final Map<String, Module> byName = new TreeMap<>();

    private ModuleCatalog() {
    }

    public static ModuleCatalog discover(String modulePath) {
        ModuleCatalog catalog = new ModuleCatalog();
        ServiceLoader.load(Module.class).forEach(catalog::add);
        if (modulePath != null && !modulePath.isBlank()) {
            ClassLoader loader = new URLClassLoader(jars(modulePath), ModuleCatalog.class.getClassLoader());
            ServiceLoader.load(Module.class, loader).forEach(catalog::add);
        }
        return catalog;
    }

    public Optional<Module> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /**
     * The module serving {@code type}: the one named by its longest prefix (umfuseext2: umfuse),
     * else one serving it under another name (tmpfs: viewfs).
     */
    public Optional<Module> forType(String type) {
        return byName.values().stream().filter(m -> m.serves(type))
                .max(java.util.Comparator.comparingInt(m -> type.startsWith(m.name()) ? m.name().length() : 0));
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    private void add(Module module) {
        byName.putIfAbsent(module.name(), module);
    }

    private static URL[] jars(String modulePath) {
        List<URL> urls = new ArrayList<>();
        for (String entry : modulePath.split(":")) {
            if (entry.isBlank()) {
                continue;
            }
            Path dir = Path.of(entry);
            try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.of(dir)) {
                for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("UMVIEW_MODULE_PATH: cannot read " + dir + ": " + e.getMessage());
            }
        }
        return urls.toArray(new URL[0]);
    }
}
