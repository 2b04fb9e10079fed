package dev.isthmus;

/**
 * What an instance does when its fuel runs out ({@link Isthmus.Builder#consumeFuel}): called on the thread whose
 * call ran out, inside that call, at the fuel check that found the fuel exhausted (a function entry or a loop
 * header). It returns the fuel to add, and the code goes on exactly where it stopped; or 0, and the call traps with
 * {@link TrapKind#OUT_OF_FUEL}. It is asked again as long as the fuel it gave does not cover what was already
 * consumed. An exception it throws ends the call as one thrown by a host function does (a checked one wrapped in
 * {@link HostException}); it never crosses the native frames.
 *
 * <p>It may read and set the instance's fuel ({@link Instance#fuel()}, {@link Instance#setFuel}) and call its
 * exports (a nested call).
 */
@FunctionalInterface
public interface FuelHandler {
    /**
     * @param instance the instance whose fuel ran out (null only if the embedder no longer references it)
     * @return the fuel to add (&gt; 0), or 0 to trap with {@link TrapKind#OUT_OF_FUEL}; never negative
     */
    long onFuelExhausted(Instance instance) throws Exception;
}
