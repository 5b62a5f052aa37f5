// Runs a Neo4j 5 Community DBMS (the embedded org.neo4j:neo4j artifact) with its Bolt connector
// open on the loopback interface, until the process gets SIGTERM/SIGINT.
//
// Started by graph/neo4j/server/neo4j-server.mjs, which passes everything through the environment:
//   LOREGRAPH_NEO4J_HOME   working directory (data/ and logs/ go under it)     required
//   NEO4J_PORT             Bolt port on 127.0.0.1                                default 7687
//   NEO4J_PASSWORD         password of the user neo4j                            default loregraph-dev
//   NEO4J_PAGECACHE_MB     page cache size in MiB                                default 512
// The password travels in the environment rather than on the command line, so `ps` does not show it.

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

public final class LoregraphNeo4jServer {
    private LoregraphNeo4jServer() {}

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public static void main(String[] args) throws InterruptedException {
        String homeText = System.getenv("LOREGRAPH_NEO4J_HOME");
        if (homeText == null || homeText.isEmpty()) {
            System.err.println("LOREGRAPH_NEO4J_HOME is not set");
            System.exit(2);
        }
        Path home = Path.of(homeText).toAbsolutePath();
        int port = Integer.parseInt(env("NEO4J_PORT", "7687"));
        String password = env("NEO4J_PASSWORD", "loregraph-dev");
        long pageCacheBytes = Long.parseLong(env("NEO4J_PAGECACHE_MB", "512")) * 1024L * 1024L;

        long started = System.nanoTime();
        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(GraphDatabaseSettings.data_directory, home.resolve("data"))
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, pageCacheBytes)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(10))
                // Transaction logs older than the last checkpoint are kept up to 1 GiB, not for the
                // default 2 days: benchmark and test runs rewrite the database over and over, and
                // two days of their logs once filled the disk (40 GB in an hour of benchmarks).
                .setConfig(GraphDatabaseSettings.keep_logical_logs, "1G size")
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .build();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("loregraph-neo4j: shutting down");
            dbms.shutdown();
            System.out.println("loregraph-neo4j: stopped");
            stopped.countDown();
        }, "loregraph-neo4j-shutdown"));

        setPassword(dbms.database("system"), password);
        long ms = (System.nanoTime() - started) / 1_000_000L;
        System.out.println("loregraph-neo4j: ready on bolt://127.0.0.1:" + port + " after " + ms + " ms");
        stopped.await();
    }

    /** Makes `neo4j` log in with the configured password (no forced change on first login). */
    private static void setPassword(GraphDatabaseService system, String password) {
        try {
            system.executeTransactionally(
                    "ALTER USER neo4j SET PLAINTEXT PASSWORD $password CHANGE NOT REQUIRED",
                    Map.of("password", password));
        } catch (RuntimeException e) {
            // Neo4j refuses to "change" a password to the one already set; that is the state we want.
            String message = String.valueOf(e.getMessage());
            if (!message.contains("cannot be the same")) throw e;
        }
    }
}
