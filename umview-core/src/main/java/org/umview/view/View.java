package org.umview.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.umview.libc.Errno;
import org.umview.module.Claims;
import org.umview.module.Module;
import org.umview.module.ModuleCatalog;
import org.umview.module.ModuleException;

/**
 * The views one supervisor serves: the tree of views (root first), the modules loaded, the
 * file system type aliases and every mount, each stamped with the view it was made in.
 */
public final class View {
    private final ModuleCatalog catalog;
    private final Map<String, Module> loaded = new ConcurrentHashMap<>();
    private final MountTable mounts = new MountTable();
    private final Map<String, String> aliases = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final ViewNode root;
    private volatile boolean nesting = true;
    /** What the loaded modules claim together: asked on hot paths, so kept, not recomputed. */
    private volatile Claims claimed = Claims.NOTHING;
    private volatile Mount defaultStack;

    /**
     * The kernel's names of the file systems umfuse programs serve, as mount(8) gives them
     * after probing an image (`mount IMG DIR`, `mount -o loop`): aliases until the user's
     * um_fsalias says otherwise (an alias deleted stands for itself).
     */
    private static final Map<String, String> KERNEL_TYPES = Map.of("ext2", "umfuseext2", "ext3", "umfuseext3",
            "ext4", "umfuseext4", "vfat", "umfusevfat", "msdos", "umfusefat", "iso9660", "umfuseiso9660",
            "squashfs", "umfusesquashfs");

    public View(ModuleCatalog catalog, String name) {
        this.catalog = catalog;
        this.root = new ViewNode(nextId.getAndIncrement(), null, 0, name);
    }

    /**
     * umview -x: programs serving mounts (FUSE programs) see the host, not the view's other
     * mounts, so a file system cannot be served from another one.
     */
    public void disableNesting() {
        nesting = false;
    }

    /** The epoch a program serving a mount made now sees up to: the view just before, or (-x) the host. */
    public long serviceEpoch() {
        return nesting ? Epoch.current() : Epoch.ALWAYS;
    }

    /** The view umview started; processes not yet placed elsewhere are in it. */
    public ViewNode root() {
        return root;
    }

    /** The view a process is in. */
    public ViewNode of(org.umview.process.ProcessState process) {
        ViewNode node = process.view();
        return node != null ? node : root;
    }

    /** Unmounts what was mounted in {@code emptied} and the views split from it: nobody can see it any more. */
    public void collect(ViewNode emptied) {
        for (Mount mount : mounts.list()) {
            if (mount.listed() && mount.view().within(emptied)) {
                mounts.remove(mount);
                mount.detach();
            }
        }
    }

    /** A new view split from {@code from}: it sees what {@code from} sees now, and no later mount. */
    public ViewNode split(ViewNode from, String name) {
        return new ViewNode(nextId.getAndIncrement(), from, Epoch.next(), name);
    }

    /** Makes file system type {@code alias} mean {@code type}; a null type deletes the alias. */
    public void alias(String alias, String type) {
        if (type != null) {
            aliases.put(alias, type);
        } else if (KERNEL_TYPES.containsKey(alias)) {
            aliases.put(alias, alias);
        } else {
            aliases.remove(alias);
        }
    }

    /** The type {@code requested} means: what it aliases, or itself. */
    public String typeOf(String requested) {
        String type = aliases.get(requested);
        return type != null ? type : KERNEL_TYPES.getOrDefault(requested, requested);
    }

    /** The aliases the user made (um_fsalias), the kernel's type names left out. */
    public Map<String, String> aliases() {
        Map<String, String> made = new java.util.TreeMap<>(aliases);
        made.entrySet().removeIf(alias -> alias.getKey().equals(alias.getValue()));
        return made;
    }

    public MountTable mounts() {
        return mounts;
    }

    /** Loads the module called {@code name}; loading it twice is harmless. */
    public Module load(String moduleName) throws ModuleException {
        Module module = catalog.find(moduleName).orElseThrow(() -> new ModuleException(Errno.ENOENT,
                "unknown module '" + moduleName + "' (available: " + String.join(", ", catalog.names()) + ")"));
        if (loaded.putIfAbsent(module.name(), module) == null) {
            module.files().forEach((path, fileSystem) -> mounts.add(Mount.moduleFile(path, module, fileSystem, root)));
            claimed = claimedByLoaded();
        }
        return module;
    }

    /** Unloads a module; refused while one of its mounts is in place. */
    public void unload(String moduleName) throws ModuleException {
        Module module = loaded.get(moduleName);
        if (module == null) {
            throw new ModuleException(Errno.ENOENT, "module '" + moduleName + "' is not loaded");
        }
        for (Mount mount : mounts.list()) {
            if (mount.module() == module && (mount.listed() || mount.busy())) {
                throw new ModuleException(Errno.EBUSY, "module '" + moduleName + "' is in use: "
                        + (mount.listed() ? "mounted on " : "open: ") + mount.target());
            }
        }
        loaded.remove(moduleName);
        claimed = claimedByLoaded();
        for (Mount mount : mounts.list()) {
            if (mount.module() == module) {
                mounts.remove(mount);
                mount.detach();
            }
        }
    }

    /** The loaded module serving file system type {@code type} (or what it aliases): the longest name it starts with. */
    public Optional<Module> moduleForType(String requested) {
        String type = typeOf(requested);
        Module best = null;
        for (Module module : loaded.values()) {
            if (module.serves(type) && (best == null || module.name().length() > best.name().length())) {
                best = module;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Loads the module that a mount of {@code type} names when none loaded serves it, as
     * mount(8) would load a kernel module: {@code mount -t umfuseext2} works in any view.
     */
    public Optional<Module> loadForType(String type) throws ModuleException {
        Optional<Module> module = catalog.forType(typeOf(type));
        if (module.isPresent()) {
            load(module.get().name());
        }
        return module;
    }

    /**
     * A mount made by umview itself before the view's first process starts (the sandbox
     * options): {@code target} canonical, in the root view, seen by every process.
     */
    public Mount mountAtStart(String type, String source, String target, String options) throws ModuleException {
        Module module = moduleForType(type).isPresent() ? moduleForType(type).get()
                : loadForType(type).orElseThrow(() -> new ModuleException(Errno.ENODEV, "no module serves type " + type));
        org.umview.module.FileSystem fileSystem = module.mount(new org.umview.module.MountRequest(source, target, type, 0,
                options, new StartCaller()));
        Mount mount = new Mount(target, source, type, options, module, fileSystem, Epoch.next(), root);
        mounts.add(mount);
        return mount;
    }

    /**
     * The stack every process of the view starts with ({@code umview --net}): null for the
     * host's. Set before the first process; a view whose default cannot reach the host
     * refuses mounts of stacks that can, so that no process gets the network back.
     */
    public void setDefaultStack(Mount stack) {
        defaultStack = stack;
    }

    public Mount defaultStack() {
        return defaultStack;
    }

    /** Whether the view was started without a network: no stack that reaches the host may be mounted in it. */
    public boolean networkless() {
        return defaultStack != null && !((org.umview.module.NetworkStack) defaultStack.fileSystem()).reachesHost();
    }

    /** Whether the module called {@code name} is loaded. */
    public boolean loaded(String name) {
        return loaded.containsKey(name);
    }

    public List<Module> modules() {
        return new ArrayList<>(loaded.values());
    }

    /** What the loaded modules claim, together. */
    public Claims claimed() {
        return claimed;
    }

    private Claims claimedByLoaded() {
        boolean fileSystems = false;
        boolean names = false;
        boolean identity = false;
        boolean clock = false;
        boolean sockets = false;
        for (Module module : loaded.values()) {
            Claims claims = module.claims();
            fileSystems |= claims.fileSystems();
            names |= claims.systemNames();
            identity |= claims.identity();
            clock |= claims.clock();
            sockets |= claims.sockets();
        }
        return new Claims(fileSystems, names, identity, clock, sockets);
    }
}
