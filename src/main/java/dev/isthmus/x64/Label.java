package dev.isthmus.x64;

import java.util.ArrayList;
import java.util.List;

/**
 * A position in the code, bound exactly once. Until it is bound, every reference to it is remembered as a patch site
 * (where the relative displacement field is, how wide it is, and where the referring instruction ends); binding
 * writes all of them. References made after binding are resolved at once.
 *
 * <p>All references are relative to the end of the referring instruction, as x86 branches and RIP-relative
 * operands are. A 1-byte site that cannot reach its target fails with {@link IllegalStateException} when the label
 * is bound (see {@link Assembler#jmpShort(Label)}).
 */
public final class Label {
    private record PatchSite(int field, int width, int instructionEnd) {
    }

    private int position = -1;
    private final List<PatchSite> pending = new ArrayList<>();

    /** Whether {@link Assembler#bind(Label)} has been called for this label. */
    public boolean isBound() {
        return position >= 0;
    }

    /** The bound offset in the code buffer; fails if the label is not bound yet. */
    public int position() {
        if (position < 0) throw new IllegalStateException("label is not bound");
        return position;
    }

    /** Binds this label to {@code target} and patches every earlier reference. */
    void bind(CodeBuffer buffer, int target) {
        if (position >= 0) throw new IllegalStateException("label is already bound at " + position);
        position = target;
        for (PatchSite site : pending) patch(buffer, site);
        pending.clear();
    }

    /** Records (or, if bound, resolves) a {@code width}-byte displacement at {@code field} of an instruction ending at {@code instructionEnd}. */
    void reference(CodeBuffer buffer, int field, int width, int instructionEnd) {
        PatchSite site = new PatchSite(field, width, instructionEnd);
        if (position >= 0) patch(buffer, site);
        else pending.add(site);
    }

    private void patch(CodeBuffer buffer, PatchSite site) {
        int displacement = position - site.instructionEnd();
        if (site.width() == 1) {
            if (displacement < -128 || displacement > 127) {
                throw new IllegalStateException("short (rel8) reference at " + site.field() + " cannot reach "
                        + position + " (displacement " + displacement + ")");
            }
            buffer.patch8(site.field(), displacement);
        } else {
            buffer.patch32(site.field(), displacement);
        }
    }
}
