package dev.isthmus;

/**
 * Tests' way to find which of an instance's tags an exception has (the API names only exported tags): binaryen's
 * reference interpreter prints an uncaught exception with its tag's name, which follows the tag's index.
 */
public final class InstanceTags {
    private InstanceTags() {
    }

    /** The index of {@code tag} in {@code instance}'s tag index space (imports first), or -1 if it is none of them. */
    public static int indexOf(Instance instance, Tag tag) {
        instance.checkOpen();
        int count = instance.runtime().module().tagCount();
        for (int i = 0; i < count; i++) {
            if (instance.runtime().tag(i) == tag.runtime()) return i;
        }
        return -1;
    }
}
