package dev.jcni.testkit;

import dev.jcni.spec.CniException;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a thrown {@link CniException}; see {@link CniAssertions#assertThatCniError}. */
public final class CniErrorAssert extends AbstractAssert<CniErrorAssert, CniException> {
  CniErrorAssert(CniException actual) {
    super(actual, CniErrorAssert.class);
  }

  public CniErrorAssert hasCode(int code) {
    isNotNull();
    if (actual.code() != code) {
      failWithMessage(
          "expected CNI error code %d but was %d (msg \"%s\")", code, actual.code(), actual.msg());
    }
    return this;
  }

  public CniErrorAssert hasMessageContaining(String part) {
    isNotNull();
    if (actual.msg() == null || !actual.msg().contains(part)) {
      failWithMessage(
          "expected CNI error msg to contain \"%s\" but was \"%s\"", part, actual.msg());
    }
    return this;
  }
}
