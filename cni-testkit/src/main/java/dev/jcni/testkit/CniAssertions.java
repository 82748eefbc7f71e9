package dev.jcni.testkit;

import dev.jcni.spec.CniException;
import dev.jcni.spec.Result;
import org.assertj.core.api.Assertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * AssertJ entry points for CNI outcomes, results and errors; import statically next to (or instead
 * of) AssertJ's {@code Assertions.assertThat}:
 *
 * <pre>{@code
 * assertThat(run.add(conf)).succeeded().result().hasCniVersion("1.0.0").hasIp("eth0", "10.40.0.2/16");
 * assertThat(run.add(bad)).failedWith(7).hasMessageContaining("subnet");
 * assertThatCniError(() -> plugin.add(inv)).hasCode(7).hasMessageContaining("subnet");
 * }</pre>
 */
public final class CniAssertions {
  private CniAssertions() {}

  public static OutcomeAssert assertThat(CniOutcome actual) {
    return new OutcomeAssert(actual);
  }

  public static ResultAssert assertThat(Result actual) {
    return new ResultAssert(actual);
  }

  public static CniErrorAssert assertThat(CniException actual) {
    return new CniErrorAssert(actual);
  }

  /** Runs {@code call}, which must throw a {@link CniException}, and asserts on that. */
  public static CniErrorAssert assertThatCniError(ThrowingCallable call) {
    Throwable t = Assertions.catchThrowable(call);
    Assertions.assertThat(t).as("expected a CniException").isInstanceOf(CniException.class);
    return new CniErrorAssert((CniException) t);
  }
}
