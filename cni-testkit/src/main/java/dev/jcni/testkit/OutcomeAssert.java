package dev.jcni.testkit;

import dev.jcni.spec.ErrorJson;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link CniOutcome}; see {@link CniAssertions}. Failure messages show stdout and
 * stderr.
 */
public final class OutcomeAssert extends AbstractAssert<OutcomeAssert, CniOutcome> {
  OutcomeAssert(CniOutcome actual) {
    super(actual, OutcomeAssert.class);
  }

  /** Exit 0 (and, when stdout is not empty, no error object on it). */
  public OutcomeAssert succeeded() {
    isNotNull();
    if (actual.exit() != 0) {
      failWithMessage(
          "expected success but exit code was %d%nstdout: %s%nstderr: %s",
          actual.exit(), actual.stdout(), actual.stderr());
    }
    return this;
  }

  /** The result on stdout (the call must have succeeded). */
  public ResultAssert result() {
    succeeded();
    if (actual.stdout().isBlank()) {
      failWithMessage("expected a result on stdout, got nothing%nstderr: %s", actual.stderr());
    }
    return new ResultAssert(actual.result());
  }

  /**
   * A CNI error with {@code code}: non-zero exit, one error object on stdout, and (as the project's
   * rules ask) no Java exception class name or stack trace in its message.
   */
  public OutcomeAssert failedWith(int code) {
    isNotNull();
    if (actual.exit() == 0) {
      failWithMessage(
          "expected CNI error %d but the call succeeded%nstdout: %s", code, actual.stdout());
    }
    ErrorJson e = error();
    if (e.code() != code) {
      failWithMessage(
          "expected CNI error code %d but was %d (msg \"%s\")%nstderr: %s",
          code, e.code(), e.msg(), actual.stderr());
    }
    String text = e.msg() + " " + (e.details() == null ? "" : e.details());
    if (text.matches("(?s).*\\b(java|javax|jdk|sun)\\.[a-z]+\\.[A-Za-z.]*(Exception|Error)\\b.*")
        || text.contains("\tat ")) {
      failWithMessage("CNI error message leaks a Java exception: \"%s\"", text);
    }
    return this;
  }

  /** The error's {@code msg} contains {@code part}. */
  public OutcomeAssert hasMessageContaining(String part) {
    ErrorJson e = error();
    if (e.msg() == null || !e.msg().contains(part)) {
      failWithMessage("expected CNI error msg to contain \"%s\" but was \"%s\"", part, e.msg());
    }
    return this;
  }

  /** The error's {@code details} contain {@code part}. */
  public OutcomeAssert hasDetailsContaining(String part) {
    ErrorJson e = error();
    if (e.details() == null || !e.details().contains(part)) {
      failWithMessage(
          "expected CNI error details to contain \"%s\" but were \"%s\"", part, e.details());
    }
    return this;
  }

  /** stdout carries {@code cniVersion} (results and errors both do). */
  public OutcomeAssert hasCniVersion(String version) {
    String v = actual.cniVersion();
    if (!version.equals(v)) {
      failWithMessage(
          "expected cniVersion \"%s\" but was \"%s\"%nstdout: %s", version, v, actual.stdout());
    }
    return this;
  }

  /** stderr contains {@code part}. */
  public OutcomeAssert hasStderrContaining(String part) {
    if (!actual.stderr().contains(part)) {
      failWithMessage("expected stderr to contain \"%s\" but was \"%s\"", part, actual.stderr());
    }
    return this;
  }

  private ErrorJson error() {
    isNotNull();
    try {
      return actual.error();
    } catch (RuntimeException ex) {
      failWithMessage("expected a CNI error object on stdout but got: %s", actual.stdout());
      throw new AssertionError(ex);
    }
  }
}
