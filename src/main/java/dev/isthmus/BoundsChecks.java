package dev.isthmus;

/** How compiled code keeps linear-memory accesses in bounds. */
public enum BoundsChecks {
    /** Reserve 8 GiB per memory and let the hardware catch out-of-bounds accesses (no checks in code). */
    GUARD_PAGES,
    /** Compare every access with the memory's size in code; memories reserve only their maximum size. */
    EXPLICIT
}
