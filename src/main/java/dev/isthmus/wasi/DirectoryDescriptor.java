package dev.isthmus.wasi;

/**
 * An open directory inside a preopen: its {@link SandboxPath} (preopen root plus components, never escaping the
 * root) and, for a preopen itself, the guest name reported by {@code fd_prestat_dir_name}.
 */
final class DirectoryDescriptor extends Descriptor {
    final SandboxPath location;
    final String preopenName;

    DirectoryDescriptor(SandboxPath location, String preopenName, long rightsBase, long rightsInheriting) {
        super(rightsBase, rightsInheriting, 0);
        this.location = location;
        this.preopenName = preopenName;
    }

    @Override
    int filetype() {
        return WasiFlags.FILETYPE_DIRECTORY;
    }

    @Override
    void close() {
    }
}
