/*
 * TrackOps reference runner: runs the Debezium embedded engine (PostgreSQL connector) and writes
 * every record as one JSON line, in the form trackops-cdcd's stdout sink writes:
 *
 *   {"topic":"<topic>","key":<key JSON or null>,"value":<value JSON or null>,"headers":{...}}
 *
 * The key, value and header JSON texts are produced by Kafka Connect's JsonConverter inside the
 * Debezium engine (KeyValueHeaderChangeEventFormat of Json/Json/Json) and embedded verbatim: this
 * program never parses or re-serializes them. Only the topic and the header names are escaped here,
 * the same way trackops-cdcd escapes them.
 *
 * With debezium.sink.type=kafka in the properties it sends the records to Kafka instead, as
 * Debezium Server's Kafka sink does: a KafkaProducer configured by debezium.sink.kafka.producer.*,
 * each batch sent and flushed before the engine is told it was processed.
 */
package dev.trackops.reference;

import java.io.BufferedOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.Header;
import io.debezium.engine.format.Json;
import io.debezium.engine.format.KeyValueHeaderChangeEventFormat;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public final class ReferenceRunner {

    static final String DEBEZIUM_VERSION = "3.6.1.Final";

    private static final int EXIT_OK = 0;
    private static final int EXIT_ENGINE_FAILED = 1;
    private static final int EXIT_USAGE = 2;

    private static final PrintStream err = System.err;

    // ---------------------------------------------------------------- command line

    static final class Options {
        Path propertiesFile;
        String out;
        Path readyFile;
        long maxRecords = -1;
        long idleExitMs = -1;
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    static final String USAGE = "usage: run.sh --properties FILE --out FILE|- [--ready-file FILE] "
            + "[--max-records N] [--idle-exit-ms N]\n"
            + "       (no --out when the properties say debezium.sink.type=kafka)";

    static Options parseArgs(String[] args) throws UsageException {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            if (name.equals("-h") || name.equals("--help")) {
                throw new UsageException(null);
            }
            if (!name.equals("--properties") && !name.equals("--out") && !name.equals("--ready-file")
                    && !name.equals("--max-records") && !name.equals("--idle-exit-ms")) {
                throw new UsageException("unknown argument: " + a);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new UsageException("missing value for " + name);
                }
                value = args[++i];
            }
            switch (name) {
                case "--properties":
                    o.propertiesFile = Paths.get(value);
                    break;
                case "--out":
                    o.out = value;
                    break;
                case "--ready-file":
                    o.readyFile = Paths.get(value);
                    break;
                case "--max-records":
                    o.maxRecords = parseNonNegative(name, value);
                    break;
                case "--idle-exit-ms":
                    o.idleExitMs = parseNonNegative(name, value);
                    break;
                default:
                    throw new UsageException("unknown argument: " + a);
            }
        }
        if (o.propertiesFile == null) {
            throw new UsageException("--properties is required");
        }
        return o;
    }

    private static long parseNonNegative(String name, String value) throws UsageException {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        }
        catch (NumberFormatException e) {
            throw new UsageException("invalid value for " + name + ": '" + value + "' (a non-negative integer)");
        }
    }

    // ---------------------------------------------------------------- properties

    /**
     * Turns the file's properties into the embedded engine's properties. Plain connector properties
     * pass unchanged. Debezium Server names are translated the way Debezium Server does:
     * debezium.source.X -> X; debezium.format.{key,value,header}.X -> {key,value,header}.converter.X;
     * debezium.format.X (other X) -> X for all three converters; debezium.transforms[.X] ->
     * transforms[.X]; debezium.predicates[.X] -> predicates[.X]; debezium.sink.* is ignored.
     */
    /**
     * The KafkaProducer's settings when the file says debezium.sink.type=kafka (null otherwise):
     * debezium.sink.kafka.producer.X -> X, as Debezium Server's Kafka sink reads them.
     */
    static Properties kafkaProducerProperties(Properties file) throws UsageException {
        String type = file.getProperty("debezium.sink.type");
        if (type == null || !type.trim().equals("kafka")) {
            return null;
        }
        Properties p = new Properties();
        String prefix = "debezium.sink.kafka.producer.";
        for (String k : file.stringPropertyNames()) {
            if (k.startsWith(prefix)) {
                p.setProperty(k.substring(prefix.length()), file.getProperty(k));
            }
        }
        if (p.getProperty("bootstrap.servers") == null) {
            throw new UsageException("debezium.sink.type=kafka needs debezium.sink.kafka.producer.bootstrap.servers");
        }
        p.setProperty("key.serializer", ByteArraySerializer.class.getName());
        p.setProperty("value.serializer", ByteArraySerializer.class.getName());
        return p;
    }

    static Properties engineProperties(Properties file, List<String> warnings) throws UsageException {
        Properties p = new Properties();
        // Plain names first, then Debezium Server names (which win when both are present).
        Map<String, String> sorted = new TreeMap<>();
        for (String k : file.stringPropertyNames()) {
            sorted.put(k, file.getProperty(k));
        }
        List<Map.Entry<String, String>> server = new ArrayList<>();
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (e.getKey().startsWith("debezium.")) {
                server.add(e);
            }
            else {
                p.setProperty(e.getKey(), e.getValue());
            }
        }
        // Common converter settings (debezium.format.X) first, specific ones override them.
        List<String[]> specific = new ArrayList<>();
        for (Map.Entry<String, String> e : server) {
            String k = e.getKey();
            String v = e.getValue();
            if (k.startsWith("debezium.source.")) {
                p.setProperty(k.substring("debezium.source.".length()), v);
            }
            else if (k.equals("debezium.format.key") || k.equals("debezium.format.value")
                    || k.equals("debezium.format.header")) {
                if (!v.trim().equalsIgnoreCase("json")) {
                    throw new UsageException("invalid value '" + v + "' for property " + k + ": only json is supported");
                }
            }
            else if (k.startsWith("debezium.format.key.")) {
                specific.add(new String[]{ "key.converter." + k.substring("debezium.format.key.".length()), v });
            }
            else if (k.startsWith("debezium.format.value.")) {
                specific.add(new String[]{ "value.converter." + k.substring("debezium.format.value.".length()), v });
            }
            else if (k.startsWith("debezium.format.header.")) {
                specific.add(new String[]{ "header.converter." + k.substring("debezium.format.header.".length()), v });
            }
            else if (k.startsWith("debezium.format.")) {
                String rest = k.substring("debezium.format.".length());
                p.setProperty("key.converter." + rest, v);
                p.setProperty("value.converter." + rest, v);
                p.setProperty("header.converter." + rest, v);
            }
            else if (k.equals("debezium.transforms") || k.startsWith("debezium.transforms.")
                    || k.equals("debezium.predicates") || k.startsWith("debezium.predicates.")) {
                p.setProperty(k.substring("debezium.".length()), v);
            }
            else if (k.startsWith("debezium.sink.")) {
                // The sink is this runner's output file, or Kafka (kafkaProducerProperties).
            }
            else {
                warnings.add("ignoring property " + k);
            }
        }
        for (String[] kv : specific) {
            p.setProperty(kv[0], kv[1]);
        }

        // Defaults the embedded engine needs.
        setDefault(p, "name", "trackops-debezium-reference");
        setDefault(p, "connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        setDefault(p, "plugin.name", "pgoutput");
        setDefault(p, "offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        setDefault(p, "offset.flush.interval.ms", "0");
        if (p.getProperty("offset.storage").endsWith("FileOffsetBackingStore")
                && p.getProperty("offset.storage.file.filename") == null) {
            try {
                Path dir = Files.createTempDirectory("dbz-reference-offsets");
                dir.toFile().deleteOnExit();
                Path f = dir.resolve("offsets.dat");
                f.toFile().deleteOnExit();
                p.setProperty("offset.storage.file.filename", f.toString());
            }
            catch (IOException e) {
                throw new UsageException("cannot create a temporary offsets file: " + e.getMessage());
            }
        }
        if (p.getProperty("topic.prefix") == null) {
            throw new UsageException("property topic.prefix (or debezium.source.topic.prefix) is required");
        }
        return p;
    }

    private static void setDefault(Properties p, String key, String value) {
        if (p.getProperty(key) == null || p.getProperty(key).isEmpty()) {
            p.setProperty(key, value);
        }
    }

    // ---------------------------------------------------------------- output

    /** Appends s as a JSON string, escaping like trackops-cdcd's stdout sink. */
    static void appendJsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            }
            else if (c < 0x20) {
                out.append("\\u00");
                out.append(Character.forDigit(c >> 4, 16));
                out.append(Character.forDigit(c & 0xF, 16));
            }
            else {
                out.append(c);
            }
        }
        out.append('"');
    }

    static String formatLine(ChangeEvent<String, String> record) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"topic\":");
        appendJsonString(line, record.destination());
        line.append(",\"key\":");
        line.append(record.key() != null ? record.key() : "null");
        line.append(",\"value\":");
        line.append(record.value() != null ? record.value() : "null");
        line.append(",\"headers\":{");
        List<Header<Object>> headers = record.headers();
        if (headers != null) {
            boolean first = true;
            for (Header<Object> h : headers) {
                if (!first) {
                    line.append(',');
                }
                first = false;
                appendJsonString(line, h.getKey());
                line.append(':');
                Object v = h.getValue();
                if (v == null) {
                    line.append("null");
                }
                else if (v instanceof byte[]) {
                    line.append(new String((byte[]) v, StandardCharsets.UTF_8));
                }
                else {
                    line.append(v.toString());
                }
            }
        }
        line.append("}}\n");
        return line.toString();
    }

    // ---------------------------------------------------------------- state shared by the threads

    private final Options options;
    private final Properties props;
    private final OutputStream out;  // Null when records go to Kafka.
    private final KafkaProducer<byte[], byte[]> producer;  // Null when records go to out.
    private final Object outLock = new Object();

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong lastRecordNanos = new AtomicLong();
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final AtomicReference<String> stopReason = new AtomicReference<>();
    private final AtomicBoolean engineDone = new AtomicBoolean();
    private final AtomicBoolean engineSucceeded = new AtomicBoolean();
    private final AtomicReference<String> engineMessage = new AtomicReference<>();
    private final AtomicReference<Throwable> engineError = new AtomicReference<>();
    private final AtomicBoolean taskStarted = new AtomicBoolean();
    private final AtomicReference<IOException> writeError = new AtomicReference<>();
    private final Object wakeup = new Object();

    private ReferenceRunner(Options options, Properties props, OutputStream out,
                            KafkaProducer<byte[], byte[]> producer) {
        this.options = options;
        this.props = props;
        this.out = out;
        this.producer = producer;
    }

    private void requestStop(String reason) {
        if (stopRequested.compareAndSet(false, true)) {
            stopReason.set(reason);
        }
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    private void handleBatch(List<ChangeEvent<String, String>> records,
                             DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        if (producer != null) {
            sendBatch(records, committer);
            return;
        }
        int done = 0;
        for (ChangeEvent<String, String> record : records) {
            if (options.maxRecords >= 0 && written.get() >= options.maxRecords) {
                break;
            }
            if (writeError.get() == null) {
                String line = formatLine(record);
                try {
                    synchronized (outLock) {
                        out.write(line.getBytes(StandardCharsets.UTF_8));
                    }
                }
                catch (IOException e) {
                    writeError.compareAndSet(null, e);
                    requestStop("write error");
                    break;
                }
                written.incrementAndGet();
                ++done;
            }
        }
        // Readers see whole batches; one write per batch, not per record.
        try {
            synchronized (outLock) {
                out.flush();
            }
        }
        catch (IOException e) {
            writeError.compareAndSet(null, e);
            requestStop("write error");
            return;
        }
        finishBatch(records, done, committer);
    }

    /** Marks the first `done` records processed, then the batch finished. */
    private void finishBatch(List<ChangeEvent<String, String>> records, int done,
                             DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        if (done > 0) {
            lastRecordNanos.set(System.nanoTime());
        }
        for (int i = 0; i < done; i++) {
            committer.markProcessed(records.get(i));
        }
        committer.markBatchFinished();
        long n = written.get();
        if (options.maxRecords >= 0 && n >= options.maxRecords) {
            requestStop("wrote " + n + " records (--max-records)");
        }
    }

    /** Debezium Server's Kafka sink: send the batch, wait for every acknowledgement, then commit. */
    private void sendBatch(List<ChangeEvent<String, String>> records,
                           DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (ChangeEvent<String, String> record : records) {
            if (options.maxRecords >= 0 && written.get() + sent.size() >= options.maxRecords) {
                break;
            }
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(record.destination(),
                    record.key() != null ? record.key().getBytes(StandardCharsets.UTF_8) : null,
                    record.value() != null ? record.value().getBytes(StandardCharsets.UTF_8) : null);
            List<Header<Object>> headers = record.headers();
            if (headers != null) {
                for (Header<Object> h : headers) {
                    Object v = h.getValue();
                    r.headers().add(h.getKey(), v == null ? null
                            : v instanceof byte[] ? (byte[]) v : v.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            sent.add(producer.send(r));
        }
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            }
            catch (ExecutionException e) {
                writeError.compareAndSet(null, new IOException("sending to Kafka failed", e.getCause()));
                requestStop("Kafka error");
                return;
            }
        }
        written.addAndGet(sent.size());
        finishBatch(records, sent.size(), committer);
    }

    // ---------------------------------------------------------------- readiness

    /**
     * Streaming has started when Debezium's own streaming metric says Connected (set by the change
     * event source coordinator right before the PostgreSQL streaming source starts) AND the
     * replication slot is active (the connector's walsender has run START_REPLICATION on it; the
     * slot is created, and released again, before the coordinator starts streaming).
     */
    private final class ReadinessProbe {
        private final ObjectName pattern;
        private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        private final String slotName;
        private Connection connection;
        private long connectedSinceNanos = -1;
        private long lastJdbcFailureLogNanos = -1;
        private boolean jdbcUsable = true;
        String detail = "";

        ReadinessProbe() throws Exception {
            pattern = new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,*");
            slotName = props.getProperty("slot.name", "debezium");
        }

        boolean streamingConnected() {
            try {
                Set<ObjectName> names = mbeans.queryNames(pattern, null);
                for (ObjectName n : names) {
                    Object v = mbeans.getAttribute(n, "Connected");
                    if (Boolean.TRUE.equals(v)) {
                        return true;
                    }
                }
            }
            catch (Exception e) {
                // Not registered yet.
            }
            return false;
        }

        boolean poll() {
            if (!taskStarted.get() || !streamingConnected()) {
                connectedSinceNanos = -1;
                return false;
            }
            if (connectedSinceNanos < 0) {
                connectedSinceNanos = System.nanoTime();
                err.println("[reference] Debezium streaming metric Connected=true; waiting for slot '" + slotName + "' to be active");
            }
            if (jdbcUsable) {
                try {
                    Integer pid = activeSlotPid();
                    if (pid != null) {
                        detail = "slot=" + slotName + " active_pid=" + pid;
                        return true;
                    }
                    return false;
                }
                catch (SQLException e) {
                    closeConnection();
                    long now = System.nanoTime();
                    if (lastJdbcFailureLogNanos < 0 || now - lastJdbcFailureLogNanos > TimeUnit.SECONDS.toNanos(5)) {
                        lastJdbcFailureLogNanos = now;
                        err.println("[reference] cannot check pg_replication_slots: " + e.getMessage());
                    }
                    // If the slot cannot be checked for 10 s, fall back to Debezium's metric alone.
                    if (now - connectedSinceNanos > TimeUnit.SECONDS.toNanos(10)) {
                        err.println("[reference] WARNING: declaring ready on the streaming metric alone");
                        jdbcUsable = false;
                    }
                    return false;
                }
            }
            // Fallback: give the streaming source a moment to issue START_REPLICATION.
            if (System.nanoTime() - connectedSinceNanos > TimeUnit.SECONDS.toNanos(2)) {
                detail = "slot=" + slotName + " (slot activity not checked)";
                return true;
            }
            return false;
        }

        private Integer activeSlotPid() throws SQLException {
            if (connection == null) {
                String host = props.getProperty("database.hostname", "localhost");
                String port = props.getProperty("database.port", "5432");
                String db = props.getProperty("database.dbname", "postgres");
                String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
                String url = "jdbc:postgresql://" + hostPart + ":" + port + "/" + db;
                Properties jp = new Properties();
                setIfPresent(jp, "user", props.getProperty("database.user"));
                setIfPresent(jp, "password", props.getProperty("database.password"));
                setIfPresent(jp, "sslmode", props.getProperty("database.sslmode"));
                setIfPresent(jp, "sslrootcert", props.getProperty("database.sslrootcert"));
                setIfPresent(jp, "sslcert", props.getProperty("database.sslcert"));
                setIfPresent(jp, "sslkey", props.getProperty("database.sslkey"));
                setIfPresent(jp, "sslpassword", props.getProperty("database.sslpassword"));
                jp.setProperty("ApplicationName", "trackops-debezium-reference-probe");
                jp.setProperty("connectTimeout", "5");
                connection = DriverManager.getConnection(url, jp);
            }
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active")) {
                st.setString(1, slotName);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next()) {
                        int pid = rs.getInt(1);
                        return rs.wasNull() ? Integer.valueOf(0) : Integer.valueOf(pid);
                    }
                    return null;
                }
            }
        }

        void closeConnection() {
            if (connection != null) {
                try {
                    connection.close();
                }
                catch (SQLException e) {
                    // ignore
                }
                connection = null;
            }
        }
    }

    private static void setIfPresent(Properties p, String key, String value) {
        if (value != null && !value.isEmpty()) {
            p.setProperty(key, value);
        }
    }

    private static void writeReadyFile(Path readyFile, String content) throws IOException {
        Path abs = readyFile.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = (dir != null ? dir : Paths.get(".")).resolve("." + abs.getFileName() + ".tmp" + ProcessHandle.current().pid());
        Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    // ---------------------------------------------------------------- main loop

    private int run() throws Exception {
        DebeziumEngine.ConnectorCallback callbacks = new DebeziumEngine.ConnectorCallback() {
            @Override
            public void connectorStarted() {
                err.println("[reference] connector started");
            }

            @Override
            public void taskStarted() {
                err.println("[reference] task started");
                taskStarted.set(true);
                synchronized (wakeup) {
                    wakeup.notifyAll();
                }
            }

            @Override
            public void pollingStarted() {
                err.println("[reference] polling started");
            }
        };

        DebeziumEngine<ChangeEvent<String, String>> engine;
        try {
            engine = DebeziumEngine.create(KeyValueHeaderChangeEventFormat.of(Json.class, Json.class, Json.class))
                    .using(props)
                    .using(callbacks)
                    .using((success, message, error) -> {
                        engineSucceeded.set(success);
                        engineMessage.set(message);
                        engineError.set(error);
                        engineDone.set(true);
                        synchronized (wakeup) {
                            wakeup.notifyAll();
                        }
                    })
                    .notifying(this::handleBatch)
                    .build();
        }
        catch (Throwable t) {
            err.println("[reference] ERROR: cannot create the Debezium engine: " + describe(engineMessage.get(), t));
            return EXIT_ENGINE_FAILED;
        }

        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "debezium-engine");
            t.setDaemon(true);
            return t;
        });
        executor.execute(engine);

        ReadinessProbe probe = new ReadinessProbe();
        boolean ready = false;
        long readyNanos = 0;
        while (!stopRequested.get() && !engineDone.get()) {
            if (!ready && probe.poll()) {
                ready = true;
                readyNanos = System.nanoTime();
                probe.closeConnection();
                err.println("[reference] streaming started (" + probe.detail + ")");
                if (options.readyFile != null) {
                    try {
                        writeReadyFile(options.readyFile, "ready " + probe.detail + "\n");
                    }
                    catch (IOException e) {
                        err.println("[reference] ERROR: cannot write the ready file " + options.readyFile + ": " + e);
                        requestStop("ready file error");
                        break;
                    }
                }
            }
            if (ready && options.idleExitMs >= 0) {
                long last = Math.max(readyNanos, lastRecordNanos.get());
                if (System.nanoTime() - last >= TimeUnit.MILLISECONDS.toNanos(options.idleExitMs)) {
                    requestStop("no record for " + options.idleExitMs + " ms (--idle-exit-ms)");
                    break;
                }
            }
            synchronized (wakeup) {
                if (!stopRequested.get() && !engineDone.get()) {
                    wakeup.wait(ready ? 50 : 100);
                }
            }
        }
        probe.closeConnection();

        boolean stoppedByUs = stopRequested.get() && !engineDone.get();
        if (stoppedByUs) {
            err.println("[reference] stopping: " + stopReason.get());
            closeEngine(engine);
        }
        executor.shutdown();
        if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
            err.println("[reference] WARNING: the engine did not stop within 60 s");
        }
        if (out != null) {
            synchronized (outLock) {
                try {
                    out.flush();
                }
                catch (IOException e) {
                    writeError.compareAndSet(null, e);
                }
            }
        }
        err.println("[reference] wrote " + written.get() + " records");

        if (writeError.get() != null) {
            err.println("[reference] ERROR: writing " + (out != null ? options.out : "to Kafka") + " failed: "
                    + describe(null, writeError.get()));
            return EXIT_ENGINE_FAILED;
        }
        if (engineDone.get() && !engineSucceeded.get()) {
            err.println("[reference] ERROR: the Debezium engine failed: " + describe(engineMessage.get(), engineError.get()));
            return EXIT_ENGINE_FAILED;
        }
        if (!stoppedByUs) {
            // The engine stopped by itself (e.g. snapshot.mode=initial_only) without an error.
            err.println("[reference] the engine stopped: " + engineMessage.get());
        }
        return EXIT_OK;
    }

    private void closeEngine(DebeziumEngine<?> engine) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                engine.close();
                return;
            }
            catch (IllegalStateException e) {
                // Tasks are starting (the engine refuses to stop then), or it is already stopping.
                if (engineDone.get() || e.getMessage() != null && e.getMessage().contains("already")) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    err.println("[reference] WARNING: cannot stop the engine: " + e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(100);
                }
                catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            catch (IOException e) {
                err.println("[reference] WARNING: closing the engine failed: " + e);
                return;
            }
        }
    }

    private static String describe(String message, Throwable t) {
        StringBuilder sb = new StringBuilder();
        if (message != null) {
            sb.append(message);
        }
        Throwable c = t;
        int depth = 0;
        while (c != null && depth++ < 8) {
            String m = c.getClass().getName() + (c.getMessage() != null ? ": " + c.getMessage() : "");
            if (c.getMessage() == null ? sb.indexOf(m) < 0 : sb.indexOf(c.getMessage()) < 0) {
                sb.append(sb.length() > 0 ? "; caused by " : "").append(m);
            }
            if (c.getCause() == c) {
                break;
            }
            c = c.getCause();
        }
        return sb.length() > 0 ? sb.toString() : "unknown error";
    }

    private static void installSignalHandlers(ReferenceRunner[] holder) {
        for (String sig : new String[]{ "TERM", "INT" }) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> {
                    ReferenceRunner r = holder[0];
                    if (r != null) {
                        r.requestStop("received SIG" + s.getName());
                    }
                    else {
                        System.exit(EXIT_OK);
                    }
                });
            }
            catch (IllegalArgumentException e) {
                err.println("[reference] WARNING: cannot handle SIG" + sig + ": " + e.getMessage());
            }
        }
    }

    public static void main(String[] args) {
        // Only record lines go to file descriptor 1 (with --out -); anything printed to
        // System.out by libraries goes to stderr with the logs.
        System.setOut(System.err);
        ReferenceRunner[] holder = new ReferenceRunner[1];
        installSignalHandlers(holder);
        int code;
        try {
            code = mainImpl(args, holder);
        }
        catch (UsageException e) {
            if (e.getMessage() != null) {
                err.println("error: " + e.getMessage());
            }
            err.println(USAGE);
            code = e.getMessage() == null ? EXIT_OK : EXIT_USAGE;
        }
        catch (Throwable t) {
            err.println("[reference] ERROR: " + describe(null, t));
            t.printStackTrace(err);
            code = EXIT_ENGINE_FAILED;
        }
        err.flush();
        System.exit(code);
    }

    private static int mainImpl(String[] args, ReferenceRunner[] holder) throws Exception {
        Options options = parseArgs(args);
        Properties file = new Properties();
        try (Reader r = new InputStreamReader(new FileInputStream(options.propertiesFile.toFile()), StandardCharsets.UTF_8)) {
            file.load(r);
        }
        catch (IOException e) {
            throw new UsageException("cannot read " + options.propertiesFile + ": " + e.getMessage());
        }
        List<String> warnings = new ArrayList<>();
        Properties props = engineProperties(file, warnings);
        for (String w : warnings) {
            err.println("[reference] WARNING: " + w);
        }
        err.println("[reference] Debezium " + DEBEZIUM_VERSION + " embedded engine, connector " + props.getProperty("connector.class")
                + ", topic.prefix=" + props.getProperty("topic.prefix") + ", slot.name=" + props.getProperty("slot.name", "debezium")
                + ", java " + System.getProperty("java.version"));

        Properties kafka = kafkaProducerProperties(file);
        if (kafka != null) {
            if (options.out != null) {
                throw new UsageException("--out and debezium.sink.type=kafka exclude each other");
            }
            if (options.readyFile != null) {
                Files.deleteIfExists(options.readyFile);
            }
            KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(kafka);
            ReferenceRunner runner = new ReferenceRunner(options, props, null, producer);
            holder[0] = runner;
            try {
                return runner.run();
            }
            finally {
                producer.close();
            }
        }
        if (options.out == null) {
            throw new UsageException("--out is required");
        }
        OutputStream out;
        boolean toStdout = options.out.equals("-");
        if (toStdout) {
            out = new BufferedOutputStream(new FileOutputStream(java.io.FileDescriptor.out), 1 << 16);
        }
        else {
            Path p = Paths.get(options.out).toAbsolutePath();
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            out = new BufferedOutputStream(new FileOutputStream(p.toFile()), 1 << 16);
        }
        if (options.readyFile != null) {
            Files.deleteIfExists(options.readyFile);
        }
        ReferenceRunner runner = new ReferenceRunner(options, props, out, null);
        holder[0] = runner;
        int code;
        try {
            code = runner.run();
        }
        finally {
            try {
                out.close();
            }
            catch (IOException e) {
                err.println("[reference] ERROR: closing " + options.out + " failed: " + e);
            }
        }
        return code;
    }
}
