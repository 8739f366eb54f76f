package org.heptap.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestTest {
    private static final List<String> FUNCTIONS = List.of(
            "parse_sip",
            "parse_full_sip",
            "light_parse_sip",
            "sip_is_method",
            "sip_has_sdp",
            "sip_check",
            "is_rtcp",
            "is_rtcp_exist",
            "is_rtcpxr",
            "send_hep",
            "send_hep_raw",
            "msg_check");

    @Test
    void a_near_spelling_is_suggested_by_edit_distance() {
        assertEquals("send_hep", Suggest.closest("send_hepp", FUNCTIONS));
    }

    @Test
    void a_name_of_the_same_words_in_another_order_is_suggested() {
        // is_sipp is 3 edits from every name above: only its words ("is", "sip") find sip_is_method
        assertEquals(" (did you mean sip_is_method?)", Suggest.hint("is_sipp", FUNCTIONS));
    }

    @Test
    void words_that_match_nothing_get_no_suggestion() {
        assertNull(Suggest.closest("frobnicate_widget", FUNCTIONS));
        assertNull(Suggest.closest("is_foo", FUNCTIONS));
    }
}
