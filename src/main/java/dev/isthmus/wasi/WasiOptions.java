package dev.isthmus.wasi;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a WASI program sees of the host: its arguments (the first is the program name), environment, preopened
 * directories (host directory and the name the guest sees, e.g. {@code /} or {@code .}) and standard streams.
 * Built with {@link #builder()}; immutable.
 */
public final class WasiOptions {
    /** A host directory visible to the guest under {@code guestName}. */
    public record Preopen(Path host, String guestName) {
        public Preopen {
            Objects.requireNonNull(host);
            Objects.requireNonNull(guestName);
        }
    }

    private final List<String> args;
    private final List<String> env;
    private final List<Preopen> preopens;
    private final InputStream stdin;
    private final OutputStream stdout;
    private final OutputStream stderr;

    private WasiOptions(Builder b) {
        this.args = List.copyOf(b.args);
        this.env = List.copyOf(b.env);
        this.preopens = List.copyOf(b.preopens);
        this.stdin = b.stdin;
        this.stdout = b.stdout;
        this.stderr = b.stderr;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<String> args() {
        return args;
    }

    /** {@code KEY=VALUE} strings. */
    public List<String> env() {
        return env;
    }

    public List<Preopen> preopens() {
        return preopens;
    }

    public InputStream stdin() {
        return stdin;
    }

    public OutputStream stdout() {
        return stdout;
    }

    public OutputStream stderr() {
        return stderr;
    }

    /** Collects options; standard streams default to the JVM's. */
    public static final class Builder {
        private final List<String> args = new ArrayList<>();
        private final List<String> env = new ArrayList<>();
        private final List<Preopen> preopens = new ArrayList<>();
        private InputStream stdin = System.in;
        private OutputStream stdout = System.out;
        private OutputStream stderr = System.err;

        private Builder() {
        }

        /** Appends arguments (the first one is conventionally the program name). */
        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        public Builder arg(String value) {
            args.add(Objects.requireNonNull(value));
            return this;
        }

        public Builder env(String key, String value) {
            env.add(key + "=" + value);
            return this;
        }

        /** Preopens {@code host} as {@code guestName} (fd 3 onwards, in call order). */
        public Builder preopen(Path host, String guestName) {
            preopens.add(new Preopen(host, guestName));
            return this;
        }

        public Builder stdin(InputStream in) {
            stdin = Objects.requireNonNull(in);
            return this;
        }

        public Builder stdout(OutputStream out) {
            stdout = Objects.requireNonNull(out);
            return this;
        }

        public Builder stderr(OutputStream err) {
            stderr = Objects.requireNonNull(err);
            return this;
        }

        public WasiOptions build() {
            return new WasiOptions(this);
        }
    }
}
