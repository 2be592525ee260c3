package dev.wharf.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class WrkTest {
  @Test
  void readsWrksLatencyUnits() {
    String out = """
          Latency Distribution
             50%    1.23ms
             75%  120.00us
             99%    2.01s
            100%    3.50s
        """;
    assertEquals(1.23, Wrk.millis(out, "50%"), 1e-9);
    assertEquals(0.12, Wrk.millis(out, "75%"), 1e-9);
    assertEquals(2010, Wrk.millis(out, "99%"), 1e-9);
    assertEquals(0, Wrk.millis(out, "90%"), 1e-9); // absent
  }

  @Test
  void aPacedIntakeWritesItsScheduleWithADotInAnyLocale() throws Exception {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      Wrk.Intake intake = Wrk.intake("t", "http://127.0.0.1:1", "secret-token",
          List.of(new Load.Request("POST", "/v1/stores/S/orders", "{\"a\":1}")), 4, 800, new CompletableFuture<>());
      String script = Files.readString(intake.script());
      assertTrue(script.contains("local interval, next_slot = 1.25, nil"), script);
      assertTrue(script.contains("Bearer secret-token"));
      assertEquals("POST\t/v1/stores/S/orders\t{\"a\":1}\n", Files.readString(intake.data()));
      Files.delete(intake.script());
      Files.delete(intake.data());
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void anUnpacedIntakeHasNoSchedule() throws Exception {
    Wrk.Intake intake = Wrk.intake("t", "http://127.0.0.1:1", "t",
        List.of(new Load.Request("POST", "/p", "{}")), 4, new CompletableFuture<>());
    assertTrue(Files.readString(intake.script()).contains("local interval, next_slot = 0, nil"));
    Files.delete(intake.script());
    Files.delete(intake.data());
  }

  @Test
  void refusesWhatOneLinePerRequestCannotCarry() {
    var exit = new CompletableFuture<Void>();
    assertThrows(IllegalArgumentException.class, () -> Wrk.intake("t", "http://x", "t",
        List.of(new Load.Request("POST", "/p", "{\n}")), 1, exit));
    assertThrows(IllegalArgumentException.class, () -> Wrk.intake("t", "http://x", "t",
        List.of(new Load.Request("POST", "/p", "{}")), 1, -1, exit));
  }
}
