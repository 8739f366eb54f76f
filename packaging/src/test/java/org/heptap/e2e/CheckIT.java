package org.heptap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/heptap --check and --check-plan as an operator runs them. */
@Offline
class CheckIT {

    @Test
    void bundled_config_checks_clean() throws Exception {
        Proc p = Proc.run(
                Duration.ofSeconds(60),
                List.of(
                        Env.heptap().toString(),
                        "--config",
                        Env.home().resolve("conf/heptap.yaml").toString(),
                        "--check"));
        assertEquals(0, p.exitCode(), p.stdout() + p.stderr());
    }

    @Test
    void unknown_function_is_reported_with_position_and_suggestion() throws Exception {
        String plan = Env.corpus("plans/bad/unknown_function.cfg").toString();
        Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--check-plan", plan));
        assertEquals(1, p.exitCode());
        assertTrue(
                p.stdout().contains(plan + ":4:17: unknown function 'send_hepp' (did you mean send_hep?)"), p.stdout());
    }

    @Test
    void every_broken_plan_is_rejected_where_the_manifest_says() throws Exception {
        JsonNode expected =
                Env.JSON.readTree(Env.corpus("plans/bad/EXPECTED.json").toFile());
        assertTrue(expected.get("plans").size() > 0, "plans/bad/EXPECTED.json lists the broken plans");
        for (JsonNode e : expected.get("plans")) {
            String plan = Env.corpus(e.get("file").asText()).toString();
            Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--check-plan", plan));
            assertEquals(1, p.exitCode(), plan);
            String where =
                    plan + ":" + e.get("line").asInt() + ":" + e.get("column").asInt() + ": ";
            assertTrue(p.stdout().contains(where), "expected an error at " + where + " got:\n" + p.stdout());
        }
    }

    @Test
    void stock_sip_plan_parses_unchanged() throws Exception {
        String plan = Env.corpus("plans/sip_capture_plan.cfg").toString();
        Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--check-plan", plan));
        // captagent's stock SIP plan uses only functions heptap has (check_rtcp_ipport from the RTCP module)
        assertEquals(0, p.exitCode(), p.stdout() + p.stderr());
        assertEquals(plan + ": ok", p.stdout().strip());
        assertEquals("", p.stderr().strip());
    }

    /**
     * captagent's stock plans of modules heptap does not have (TLS, TZSP, Diameter, ISUP) are
     * refused at the first such function, where the plan file has it; those of the RTCP module
     * check clean (RTCP-XR with captagent's return-0 warnings, each at its position).
     */
    @Test
    void stock_plans_of_other_modules_report_positions_never_crash() throws Exception {
        for (String name : List.of("rtcp_capture_plan.cfg", "rtcpxr_capture_plan.cfg")) {
            String plan = Env.corpus("plans/" + name).toString();
            Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--check-plan", plan));
            assertEquals(0, p.exitCode(), name + ": " + p.stdout() + p.stderr());
            List<String> lines = p.stdout().strip().lines().toList();
            assertEquals(plan + ": ok", lines.get(lines.size() - 1), p.stdout());
            for (String line : lines.subList(0, lines.size() - 1)) {
                assertTrue(line.matches(java.util.regex.Pattern.quote(plan) + ":\\d+:\\d+: warning: .*"), line);
            }
        }
        for (String[] unsupported : List.of(
                new String[] {"tls_capture_plan.cfg", "parse_tls"},
                new String[] {"tzsp_capture_plan.cfg", "tzsp_payload_extract"},
                new String[] {"diameter_capture_plan.cfg", "parse_diameter_to_json"},
                new String[] {"isup_capture_plan.cfg", "parse_isup_to_json"})) {
            Path plan = Env.corpus("plans/" + unsupported[0]);
            Proc p =
                    Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--check-plan", plan.toString()));
            assertEquals(1, p.exitCode(), unsupported[0] + ": " + p.stdout() + p.stderr());
            assertEquals("", p.stderr().strip(), "no stack trace");
            assertEquals(
                    plan + ":" + firstUse(plan, unsupported[1]) + ": '" + unsupported[1]
                            + "' is not supported by heptap",
                    p.stdout().strip());
        }
    }

    /** LINE:COLUMN (1-based, a tab counting one) of a function's first call in a plan file. */
    private static String firstUse(Path plan, String function) throws Exception {
        List<String> lines = Files.readAllLines(plan);
        for (int i = 0; i < lines.size(); i++) {
            int at = lines.get(i).indexOf(function + "(");
            if (at >= 0 && !lines.get(i).trim().startsWith("#")) return (i + 1) + ":" + (at + 1);
        }
        throw new AssertionError(function + " is not called in " + plan);
    }

    @Test
    void a_port_out_of_range_names_file_line_and_key(@TempDir Path dir) throws Exception {
        List<String> lines = Files.readAllLines(Env.home().resolve("conf/heptap.yaml"));
        int portLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).trim().startsWith("port:")) {
                lines.set(i, lines.get(i).replaceFirst("port:.*", "port: 70000"));
                portLine = i + 1;
                break;
            }
        }
        assertTrue(portLine > 0);
        Path conf = dir.resolve("heptap.yaml");
        Files.write(conf, lines);
        Files.createDirectories(dir.resolve("captureplans"));
        Files.copy(
                Env.home().resolve("conf/captureplans/sip_capture_plan.cfg"),
                dir.resolve("captureplans/sip_capture_plan.cfg"));
        Proc p = Proc.run(
                Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", conf.toString(), "--check"));
        assertEquals(1, p.exitCode());
        assertTrue(
                p.stderr()
                        .contains(conf + ":" + portLine + ": transports.hepsocket.port: 70000 is not a port (1-65535)"),
                p.stderr());
    }

    @Test
    void unknown_keys_are_reported_with_a_suggestion(@TempDir Path dir) throws Exception {
        String text = Files.readString(Env.home().resolve("conf/heptap.yaml"))
                .replace("    snaplen: 65535", "    snaplne: 65535");
        Path conf = dir.resolve("heptap.yaml");
        Files.writeString(conf, text);
        Files.createDirectories(dir.resolve("captureplans"));
        Files.copy(
                Env.home().resolve("conf/captureplans/sip_capture_plan.cfg"),
                dir.resolve("captureplans/sip_capture_plan.cfg"));
        Proc p = Proc.run(
                Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", conf.toString(), "--check"));
        assertEquals(1, p.exitCode());
        assertTrue(
                p.stderr()
                        .matches(
                                "(?s).*heptap.yaml:\\d+: sockets.sip.snaplne: unknown key \\(did you mean snaplen\\?\\).*"),
                p.stderr());
    }
}
