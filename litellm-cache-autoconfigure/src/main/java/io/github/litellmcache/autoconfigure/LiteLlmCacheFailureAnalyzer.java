package io.github.litellmcache.autoconfigure;

import io.github.litellmcache.cache.CacheConfigurationException;
import io.github.litellmcache.display.PropertyValues;
import io.github.litellmcache.display.Secrets;
import java.time.Duration;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.util.ClassUtils;
import org.springframework.util.unit.DataSize;

/**
 * Reports a wrong {@code litellm.*} value or a missing backend library at startup, naming the
 * property and what to change. Runs before Boot's own analyzers so that the message is ours.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class LiteLlmCacheFailureAnalyzer implements FailureAnalyzer {

    private static final ConfigurationPropertyName LITELLM =
            ConfigurationPropertyName.of(LiteLlmProviderProperties.PREFIX);

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        CacheConfigurationException configuration = findCause(failure, CacheConfigurationException.class);
        if (configuration != null) {
            return new FailureAnalysis(configuration.getMessage(), configuration.action(), configuration);
        }
        BindException bind = findCause(failure, BindException.class);
        if (bind == null || !(LITELLM.equals(bind.getName()) || LITELLM.isAncestorOf(bind.getName()))) {
            return null;
        }
        UnboundConfigurationPropertiesException unbound =
                findCause(failure, UnboundConfigurationPropertiesException.class);
        return (unbound != null) ? analyzeUnbound(unbound, bind) : analyzeBind(bind);
    }

    /** Names the unknown properties and where they are set, never their values (a misspelt password is a secret). */
    private static FailureAnalysis analyzeUnbound(UnboundConfigurationPropertiesException unbound, BindException bind) {
        String properties = unbound.getUnboundProperties().stream()
                .map(property ->
                        property.getName() + ((property.getOrigin() != null) ? " (" + property.getOrigin() + ")" : ""))
                .collect(Collectors.joining(", "));
        return new FailureAnalysis(
                "Unknown " + bind.getName() + " properties: " + properties + ".",
                "Correct their names (the README's configuration reference lists every " + bind.getName()
                        + " property, and IDEs complete them) or remove them.",
                bind);
    }

    /** Names the property and shows its value without the credentials it may hold, as a URL put there by mistake. */
    private static FailureAnalysis analyzeBind(BindException bind) {
        String property = (bind.getProperty() != null)
                ? bind.getProperty().getName().toString()
                : bind.getName().toString();
        Object value = bind.getProperty() != null ? bind.getProperty().getValue() : null;
        String shown = (value != null) ? Secrets.withoutUserInfo(value.toString()) : null;
        String description = "The value '" + shown + "' of " + property + " is invalid.";
        Class<?> target = ClassUtils.resolvePrimitiveIfNecessary(
                bind.getTarget().getType().resolve(Object.class));
        Class<?> elementType = bind.getTarget().getType().resolveGeneric(0);
        Class<?> enumType =
                target.isEnum() ? target : (elementType != null && elementType.isEnum()) ? elementType : null;
        String action = (enumType != null)
                ? "Set " + property + " to one of: " + validValues(enumType) + "."
                : "Set " + property + " to a valid " + target.getSimpleName() + example(target) + ".";
        return new FailureAnalysis(description, action, bind);
    }

    /** How a value of {@code target} is written, for the types of {@code litellm.*} properties. */
    private static String example(Class<?> target) {
        if (target == Duration.class) {
            return " such as 250ms or 10m";
        }
        if (target == DataSize.class) {
            return " such as 64MB";
        }
        return (target == Boolean.class) ? ": true or false" : "";
    }

    @SuppressWarnings("unchecked")
    private static String validValues(Class<?> enumType) {
        return PropertyValues.allOf((Class<? extends Enum<?>>) enumType);
    }

    private static <E extends Throwable> @Nullable E findCause(Throwable failure, Class<E> type) {
        Throwable candidate = failure;
        while (candidate != null) {
            if (type.isInstance(candidate)) {
                return type.cast(candidate);
            }
            candidate = candidate.getCause();
        }
        return null;
    }
}
