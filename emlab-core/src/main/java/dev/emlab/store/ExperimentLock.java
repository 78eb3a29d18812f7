package dev.emlab.store;

import dev.emlab.EmlabException;
import dev.emlab.InputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One running {@code emlab run} per experiment folder: an OS file lock on {@code emlab.lock},
 * released when the run ends or its process dies, so a second run is told so instead of racing
 * the first over the same jobs.
 */
public final class ExperimentLock implements AutoCloseable {
    static final String FILE = "emlab.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private ExperimentLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the folder's lock, or refuses at once naming the folder when another run holds it. */
    public static ExperimentLock take(Path runDir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(runDir);
            channel = FileChannel.open(runDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw new InputException("Another 'emlab run' is running this experiment (" + runDir + ") right now. Wait for"
                        + " it to finish, or stop it, then run the same command again; it resumes where the other left off.");
            }
            return new ExperimentLock(channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // the lock was never taken
            }
            throw new EmlabException("Cannot lock the experiment folder " + runDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether an {@code emlab run} holds the folder's lock now. A job the store says is running
     * while no run holds the lock was left so by a run that was killed; the next run starts it over.
     */
    public static boolean held(Path runDir) {
        Path file = runDir.resolve(FILE);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock probe = tryLock(channel);
            if (probe == null) {
                return true;
            }
            probe.release();
            return false;
        } catch (IOException e) {
            return false; // unreadable: say what the store says
        }
    }

    /** The lock, or null when another process or this one holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS drops the lock with the channel anyway
        }
    }
}
