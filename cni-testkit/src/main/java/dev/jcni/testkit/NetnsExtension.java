package dev.jcni.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving each test its own throwaway network namespaces: a "node" (the plugin's
 * host side, where bridges and host veth ends go) and pod namespaces on demand, all named {@code
 * <prefix><random>-...} so parallel runs never collide, and all deleted after the test, whether it
 * passed or failed (links inside go with them). Nothing touches the machine's own namespace.
 *
 * <p>Creating namespaces needs root: as any other user the tests are skipped (reported as disabled
 * with the reason {@code "needs root: creates network namespaces (running as uid N)"}), never
 * silently passed.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NetnsExtension NETNS = NetnsExtension.withPrefix("myp-");
 *
 * @Test
 * void podGetsAnAddress(TestNetns ns) {
 *   String pod = ns.pod("a");                           // /run/netns/myp-1a2b3c-a
 *   CniOutcome add = ns.runner(new MyPlugin()).netns(pod).add(conf);   // runs inside the node namespace
 *   assertThat(add).result().hasIp("eth0", "10.40.0.2/16");
 *   ns.inPod(pod, "ip", "addr", "show", "eth0");
 * }
 * }</pre>
 *
 * {@code @ExtendWith(NetnsExtension.class)} works too (prefix {@code jtk-}).
 */
public final class NetnsExtension
    implements ExecutionCondition, BeforeEachCallback, AfterEachCallback, ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(NetnsExtension.class);
  private final String prefix;

  /** Prefix {@code jtk-}. */
  public NetnsExtension() {
    this("jtk-");
  }

  private NetnsExtension(String prefix) {
    if (prefix == null
        || prefix.isEmpty()
        || prefix.length() > 6
        || !prefix.matches("[a-z0-9-]+")) {
      throw new IllegalArgumentException("prefix: 1..6 of [a-z0-9-], got \"" + prefix + "\"");
    }
    this.prefix = prefix;
  }

  /** Names start with {@code prefix} (1..6 chars of a-z, 0-9, '-'): pick one per test suite. */
  public static NetnsExtension withPrefix(String prefix) {
    return new NetnsExtension(prefix);
  }

  /** Whether this process runs as root (effective uid 0). */
  public static boolean isRoot() {
    return uid() == 0;
  }

  private static long uid() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("Uid:")) {
          return Long.parseLong(line.substring(4).trim().split("\\s+")[1]); // effective uid
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return dev.jcni.testkit.NetnsExtension.isRoot() ? 0 : -1;
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return condition(uid());
  }

  static ConditionEvaluationResult condition(long uid) {
    return uid == 0
        ? ConditionEvaluationResult.enabled("running as root")
        : ConditionEvaluationResult.disabled(
            "needs root: creates network namespaces (running as uid " + uid + ")");
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(STORE).put(TestNetns.class, new TestNetns(prefix));
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestNetns ns = context.getStore(STORE).remove(TestNetns.class, TestNetns.class);
    if (ns != null) {
      ns.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
    return p.getParameter().getType() == TestNetns.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext context) {
    TestNetns ns = context.getStore(STORE).get(TestNetns.class, TestNetns.class);
    if (ns == null) {
      throw new IllegalStateException(
          "TestNetns is available in test methods only (not in @BeforeAll)");
    }
    return ns;
  }
}
