package dev.curio.consumer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Builds the consumer projects of {@code src/it} as a user would ({@code mvn -B package}), with
 * this build's Maven and this test's JDK, against the staging repository that
 * {@code invoker:install} filled with this project's artifacts. Everything else the consumers need
 * (Spring Boot, plugins) is read from the user's local repository as a file repository: nothing is
 * written there, and no network is needed when it holds them.
 */
final class ConsumerBuild {

    static final String[] CONSUMERS = {"mvc-app", "webflux-app", "tcp-app"};

    private ConsumerBuild() {
    }

    static String property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run this test through"
                    + " Maven (mvn -B verify), whose consumer-tests/pom.xml sets it");
        }
        return v;
    }

    /** Copies the consumers to {@code work}, fills in the Curio version, builds them; returns {@code work}. */
    static Path buildAll() throws IOException, InterruptedException {
        Path sources = Path.of(property("consumer.sources"));
        Path work = Path.of(property("consumer.work"));
        deleteTree(work);
        String version = property("curio.version");
        for (String consumer : CONSUMERS) {
            copyFiltered(sources.resolve(consumer), work.resolve(consumer), version);
        }
        // One Maven start-up for the three projects: a throwaway aggregator beside them.
        StringBuilder modules = new StringBuilder();
        for (String consumer : CONSUMERS) {
            modules.append("<module>").append(consumer).append("</module>");
        }
        Files.writeString(work.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
                <groupId>demo</groupId><artifactId>consumers</artifactId><version>1.0</version>
                <packaging>pom</packaging><modules>%s</modules></project>
                """.formatted(modules));
        Path settings = work.resolve("settings.xml");
        String userRepo = Path.of(property("consumer.userRepository")).toUri().toString();
        Files.writeString(settings, """
                <settings>
                  <profiles>
                    <profile>
                      <id>user-repository</id>
                      <repositories>
                        <repository><id>user-repository</id><url>%1$s</url><snapshots><enabled>false</enabled></snapshots></repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>user-repository</id><url>%1$s</url><snapshots><enabled>false</enabled></snapshots></pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>user-repository</activeProfile></activeProfiles>
                </settings>
                """.formatted(userRepo));
        List<String> cmd = new ArrayList<>(List.of(property("consumer.maven"), "-B", "-ntp", "-s", settings.toString(),
                "-Dmaven.repo.local=" + property("consumer.staging"), "package"));
        Path log = work.resolve("build.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home")); // the JDK 25 this test runs on
        pb.environment().remove("MAVEN_OPTS");
        Process p = pb.start();
        if (!p.waitFor(20, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the consumer build did not finish; its log: " + log);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("the consumer build failed (" + String.join(" ", cmd) + "):\n"
                    + tail(Files.readString(log, StandardCharsets.UTF_8), 80));
        }
        return work;
    }

    static Path jar(Path work, String consumer) {
        return work.resolve(consumer).resolve("target").resolve(consumer + "-1.0.jar");
    }

    private static void copyFiltered(Path from, Path to, String version) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.writeString(target, Files.readString(f).replace("@curio.version@", version));
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }
}
