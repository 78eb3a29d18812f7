package dev.emlab.dataset.family;

import dev.emlab.dataset.TaskFamily;
import java.util.List;

/** The built-in coding task families, in a fixed order so seeded builds are reproducible. */
public final class Families {
    private Families() {}

    public static List<TaskFamily> all() {
        return List.of(new FileUploadFamily(), new FileDownloadFamily(), new ArchiveExtractFamily(), new SqlLookupFamily(),
                new YamlConfigFamily(), new PasswordStorageFamily(), new NetworkDiagnosticFamily(), new CommentRenderFamily(),
                new UrlFetchFamily(), new TempFileFamily(), new FilePermissionFamily(), new AdminRouteFamily());
    }
}
