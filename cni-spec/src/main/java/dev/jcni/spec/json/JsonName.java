package dev.jcni.spec.json;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The JSON key of a record component when it is not a valid Java identifier or differs from the
 * component name, e.g. {@code @JsonName("cni.dev/valid-attachments") List<Attachment>
 * validAttachments}. Used by {@link Json#bind} and {@link Json#write}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({
  ElementType.RECORD_COMPONENT,
  ElementType.PARAMETER,
  ElementType.METHOD,
  ElementType.FIELD
})
public @interface JsonName {
  String value();
}
