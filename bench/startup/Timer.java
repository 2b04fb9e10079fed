// Whole-process timer for bench/startup/first-output.sh: starts the clock, spawns the command,
// copies its standard output to OUT_FILE (its standard error to OUT_FILE.err) and prints one line:
//   first_byte_ms=F exit_ms=E status=S
// F: from just before the spawn to the first byte read from the child's standard output (-1 if
// none); E: to the child's exit (its output fully read). Run with JDK 25 as a single-file program:
//   java Timer.java OUT_FILE COMMAND [ARGS...]
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;

void main(String[] args) throws Exception {
    if (args.length < 2) {
        System.err.println("usage: java Timer.java OUT_FILE COMMAND [ARGS...]");
        System.exit(2);
    }
    Path out = Path.of(args[0]);
    var builder = new ProcessBuilder(Arrays.asList(args).subList(1, args.length))
            .redirectInput(ProcessBuilder.Redirect.INHERIT)
            .redirectError(Path.of(args[0] + ".err").toFile());
    long start = System.nanoTime();
    Process process = builder.start();
    long firstByte = -1;
    try (InputStream in = process.getInputStream(); OutputStream file = new FileOutputStream(out.toFile())) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            if (n > 0 && firstByte < 0) firstByte = System.nanoTime();
            file.write(buffer, 0, n);
        }
    }
    int status = process.waitFor();
    long end = System.nanoTime();
    System.out.printf("first_byte_ms=%d exit_ms=%d status=%d%n",
            firstByte < 0 ? -1 : (firstByte - start) / 1_000_000, (end - start) / 1_000_000, status);
}
