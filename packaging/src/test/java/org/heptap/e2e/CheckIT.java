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
class CheckIT {

    @Test
    void bundled_config_checks_clean() throws Exception {
        Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config",
                Env.home().resolve("conf/heptap.yaml").toString(), "--check"));
        assertEquals(0, p.exitCode(), p.stdout() + p.stderr());
    }

    @Test
    void unknown_function_is_reported_with_position_and_suggestion() throws Exception {
        String plan = Env.corpus("plans/bad/unknown_function.cfg").toString();
        Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--check-plan", plan));
        assertEquals(1, p.exitCode());
        assertTrue(p.stdout().contains(plan + ":4:17: unknown function 'send_hepp' (did you mean send_hep?)"), p.stdout());
    }

    @Test
    void every_broken_plan_is_rejected_where_the_manifest_says() throws Exception {
        JsonNode expected = Env.JSON.readTree(Env.corpus("plans/bad/EXPECTED.json").toFile());
        for (JsonNode e : expected.get("plans")) {
            String plan = Env.corpus(e.get("file").asText()).toString();
            Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--check-plan", plan));
            assertEquals(1, p.exitCode(), plan);
            String where = plan + ":" + e.get("line").asInt() + ":" + e.get("column").asInt() + ": ";
            assertTrue(p.stdout().contains(where), "expected an error at " + where + " got:\n" + p.stdout());
        }
    }

    @Test
    void stock_sip_plan_parses_unchanged() throws Exception {
        String plan = Env.corpus("plans/sip_capture_plan.cfg").toString();
        Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--check-plan", plan));
        // check_rtcp_ipport belongs to the RTCP module: reported as unknown with its position, nothing else
        for (String line : p.stdout().split("\n")) {
            if (line.isBlank() || line.endsWith(": ok")) continue;
            assertTrue(line.matches(".*:\\d+:\\d+: unknown function 'check_rtcp_ipport'.*"), line);
        }
    }

    @Test
    void stock_plans_of_other_modules_report_positions_never_crash() throws Exception {
        for (String name : List.of("rtcp_capture_plan.cfg", "rtcpxr_capture_plan.cfg", "tls_capture_plan.cfg",
                "tzsp_capture_plan.cfg", "diameter_capture_plan.cfg", "isup_capture_plan.cfg")) {
            String plan = Env.corpus("plans/" + name).toString();
            Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--check-plan", plan));
            assertTrue(p.exitCode() == 0 || p.exitCode() == 1, name + ": " + p.stderr());
            assertTrue(!p.stderr().contains("Exception"), p.stderr());
            for (String line : p.stdout().split("\n")) {
                if (line.isBlank() || line.endsWith(": ok")) continue;
                assertTrue(line.startsWith(plan + ":") && line.matches(".*:\\d+:\\d+: .*"), line);
            }
        }
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
        Files.copy(Env.home().resolve("conf/captureplans/sip_capture_plan.cfg"), dir.resolve("captureplans/sip_capture_plan.cfg"));
        Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", conf.toString(), "--check"));
        assertEquals(1, p.exitCode());
        assertTrue(p.stderr().contains(conf + ":" + portLine + ": transports.hepsocket.port: 70000 is not a port (1-65535)"), p.stderr());
    }

    @Test
    void unknown_keys_are_reported_with_a_suggestion(@TempDir Path dir) throws Exception {
        String text = Files.readString(Env.home().resolve("conf/heptap.yaml")).replace("    snaplen: 65535", "    snaplne: 65535");
        Path conf = dir.resolve("heptap.yaml");
        Files.writeString(conf, text);
        Files.createDirectories(dir.resolve("captureplans"));
        Files.copy(Env.home().resolve("conf/captureplans/sip_capture_plan.cfg"), dir.resolve("captureplans/sip_capture_plan.cfg"));
        Proc p = Proc.run(Duration.ofSeconds(60), List.of(Env.heptap().toString(), "--config", conf.toString(), "--check"));
        assertEquals(1, p.exitCode());
        assertTrue(p.stderr().matches("(?s).*heptap.yaml:\\d+: sockets.sip.snaplne: unknown key \\(did you mean snaplen\\?\\).*"), p.stderr());
    }
}
