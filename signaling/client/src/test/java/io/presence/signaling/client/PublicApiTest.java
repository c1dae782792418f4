package io.presence.signaling.client;

import io.presence.signaling.client.internal.IoThreads;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library's promises about its surface: no Netty in public signatures, nothing of the server below it. */
class PublicApiTest {
    private static final String PACKAGE = "io.presence.signaling.client";

    @Test
    void noPublicSignatureOfTheApiPackageMentionsNetty() throws Exception {
        List<Class<?>> api = publicClassesOfApiPackage();
        assertTrue(api.size() >= 6, "found the API classes: " + api);
        List<String> leaks = new ArrayList<>();
        for (Class<?> type : api) {
            leaks.addAll(nettyInSignatures(type));
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void theCheckSeesNettyWhereItIs() {
        assertFalse(nettyInSignatures(IoThreads.class).isEmpty(),
                "the internal I/O threads hand out Netty's event loops; the check must notice");
    }

    @Test
    void noServerModuleIsOnTheClassPath() {
        ClassLoader loader = PublicApiTest.class.getClassLoader();
        for (String pkg : List.of("io/presence/net", "io/presence/stun", "io/presence/metrics",
                "io/presence/signaling/transport", "io/presence/signaling/session", "io/presence/signaling/room")) {
            assertNull(loader.getResource(pkg), pkg + " must not be a dependency of the client, even for tests");
        }
    }

    private static List<Class<?>> publicClassesOfApiPackage() throws ClassNotFoundException, URISyntaxException {
        File dir = new File(new File(SignalingClient.class.getProtectionDomain().getCodeSource().getLocation().toURI()),
                PACKAGE.replace('.', '/'));
        assertTrue(dir.isDirectory(), "compiled classes in a directory: " + dir);
        List<Class<?>> classes = new ArrayList<>();
        for (String name : dir.list((d, n) -> n.endsWith(".class"))) {
            Class<?> type = Class.forName(PACKAGE + "." + name.substring(0, name.length() - ".class".length()));
            if (isVisible(type)) {
                classes.add(type);
            }
        }
        return classes;
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getDeclaringClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static List<String> nettyInSignatures(Class<?> type) {
        List<String> leaks = new ArrayList<>();
        List<Type> supers = new ArrayList<>(List.of(type.getGenericInterfaces()));
        if (type.getGenericSuperclass() != null) {
            supers.add(type.getGenericSuperclass());
        }
        check(type.getName() + " extends", supers.toArray(Type[]::new), leaks);
        for (Field f : type.getDeclaredFields()) {
            if (visible(f)) {
                check(f.toString(), new Type[]{f.getGenericType()}, leaks);
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c)) {
                check(c.toGenericString(), Stream.concat(Stream.of(c.getGenericParameterTypes()),
                        Stream.of(c.getGenericExceptionTypes())).toArray(Type[]::new), leaks);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m) && !m.isSynthetic()) {
                check(m.toGenericString(), Stream.concat(Stream.of(m.getGenericReturnType()), Stream.concat(
                        Stream.of(m.getGenericParameterTypes()), Stream.of(m.getGenericExceptionTypes())))
                        .toArray(Type[]::new), leaks);
            }
        }
        if (type.isRecord()) {
            for (RecordComponent rc : type.getRecordComponents()) {
                check(type.getName() + "." + rc.getName(), new Type[]{rc.getGenericType()}, leaks);
            }
        }
        return leaks;
    }

    private static boolean visible(Member m) {
        return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
    }

    private static void check(String where, Type[] types, List<String> leaks) {
        for (Type t : types) {
            if (t.getTypeName().contains("io.netty.")) {
                leaks.add(where + " mentions " + t.getTypeName());
            }
        }
    }
}
