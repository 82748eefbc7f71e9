package dev.jcni.spec.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component as required for {@link StrictBinding}: a missing key, a JSON null or an
 * empty string is a code 7 error naming the key. Plain {@link Json#bind} ignores it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.RECORD_COMPONENT,
  ElementType.PARAMETER,
  ElementType.METHOD,
  ElementType.FIELD
})
public @interface Required {}
