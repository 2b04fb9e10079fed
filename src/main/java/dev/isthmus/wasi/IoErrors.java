package dev.isthmus.wasi;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/** Maps Java I/O failures to preview1 errno values (java.nio reports the OS error as its message). */
final class IoErrors {
    private IoErrors() {
    }

    static int errno(Throwable e) {
        return switch (e) {
            case NoSuchFileException x -> Errno.NOENT;
            case FileAlreadyExistsException x -> Errno.EXIST;
            case DirectoryNotEmptyException x -> Errno.NOTEMPTY;
            case NotDirectoryException x -> Errno.NOTDIR;
            case AccessDeniedException x -> Errno.ACCES;
            case NotLinkException x -> Errno.INVAL;
            case FileSystemLoopException x -> Errno.LOOP;
            case FileSystemException x -> fromReason(x.getReason());
            case ClosedChannelException x -> Errno.BADF;
            case NonReadableChannelException x -> Errno.BADF;
            case NonWritableChannelException x -> Errno.BADF;
            case IOException x -> fromReason(x.getMessage());
            default -> Errno.IO;
        };
    }

    private static int fromReason(String reason) {
        if (reason == null) return Errno.IO;
        if (reason.contains("Not a directory")) return Errno.NOTDIR;
        if (reason.contains("Is a directory")) return Errno.ISDIR;
        if (reason.contains("Too many levels of symbolic links")) return Errno.LOOP;
        if (reason.contains("Directory not empty")) return Errno.NOTEMPTY;
        if (reason.contains("File exists")) return Errno.EXIST;
        if (reason.contains("No such file")) return Errno.NOENT;
        if (reason.contains("Permission denied")) return Errno.ACCES;
        if (reason.contains("Operation not permitted")) return Errno.PERM;
        if (reason.contains("Invalid argument")) return Errno.INVAL;
        if (reason.contains("Invalid cross-device link")) return Errno.XDEV;
        if (reason.contains("File name too long")) return Errno.NAMETOOLONG;
        if (reason.contains("No space left")) return Errno.NOSPC;
        if (reason.contains("File too large")) return Errno.FBIG;
        if (reason.contains("Too many links")) return Errno.MLINK;
        if (reason.contains("Read-only file system")) return Errno.ROFS;
        if (reason.contains("Device or resource busy")) return Errno.BUSY;
        if (reason.contains("Broken pipe")) return Errno.PIPE;
        return Errno.IO;
    }
}
