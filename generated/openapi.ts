// This file is generated from openapi.yaml by `npm run generate`. Do not edit.

export interface paths {
    "/api/v1/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List files
         * @description Lists the caller's files, newest first (ties broken by id, descending), one page
         *     at a time. `pagination.total` counts every file that matches the filter, not
         *     only the ones on this page.
         *
         *     Two ways to page: `offset`, or `cursor` — pass the previous page's
         *     `pagination.nextCursor` to get the page after it. A cursor page costs the
         *     same wherever it is in the listing, and files added or deleted meanwhile never
         *     make a cursor walk skip or repeat a file. `nextCursor` is `null` on the last page.
         *     `cursor` together with `offset` is refused with `400`.
         */
        get: operations["listFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/upload": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Upload a file
         * @description Uploads one file as `multipart/form-data`. The `file` part is streamed to
         *     storage; its filename becomes the file's `name` (path parts and control
         *     characters removed, Unicode kept and normalised to NFC) and its media type the
         *     file's `mimeType` (guessed from the name's extension when the part says only
         *     `application/octet-stream` or has no type, which multipart reads as `text/plain`). `tags` is a comma-separated list: entries are
         *     trimmed, empty ones dropped and duplicates removed. A file larger than the
         *     server's limit is refused with `413` and nothing is stored; when the server's
         *     free space is under its reserve the upload is refused with `507`. A `filename*`
         *     (or file name) whose bytes are not UTF-8 is refused with `400`.
         */
        post: operations["uploadFile"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/files/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The file's id.
                 * @example file_Hk3LxT8mQw2ZrN5vK9pB
                 */
                id: components["parameters"]["FileIdPath"];
            };
            cookie?: never;
        };
        /**
         * Get a file's metadata
         * @description Returns the metadata of one of the caller's files.
         */
        get: operations["getFile"];
        put?: never;
        post?: never;
        /**
         * Delete a file
         * @description Deletes the file and its bytes. Its id answers `404` from then on.
         */
        delete: operations["deleteFile"];
        options?: never;
        head?: never;
        /**
         * Update a file's metadata
         * @description Renames, describes, tags or moves a file. Only the fields present change;
         *     `description: null` clears the description and `folderId: null` moves the file
         *     to the top level. `tags` replaces the whole list. The bytes never change.
         */
        patch: operations["updateFile"];
        trace?: never;
    };
    "/api/v1/files/{id}/download": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The file's id.
                 * @example file_Hk3LxT8mQw2ZrN5vK9pB
                 */
                id: components["parameters"]["FileIdPath"];
            };
            cookie?: never;
        };
        /**
         * Download a file
         * @description Returns the file's bytes with its own `Content-Type`, always as an attachment
         *     (`Content-Disposition: attachment` with an ASCII `filename` and an RFC 8187
         *     `filename*`). The `ETag` is strong and derived from the content's SHA-256.
         *     A single byte range (`Range: bytes=0-1023`) is answered with `206`; a range
         *     outside the file with `416`; a matching `If-None-Match` with `304`.
         *     Authentication and existence are checked before any precondition.
         */
        get: operations["downloadFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Download headers only
         * @description Same as `downloadFile`, without the body: the size, type, name, `ETag` and
         *     `Last-Modified` of a file, or whether a range or a cached copy is still valid.
         */
        head: operations["downloadFileHead"];
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List folders
         * @description Lists all of the caller's folders, sorted by name.
         */
        get: operations["listFolders"];
        put?: never;
        /**
         * Create a folder
         * @description Creates a folder, at the top level or inside `parentId`.
         */
        post: operations["createFolder"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/folders/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The folder's id.
                 * @example fld_StpTj3IlPGzQ4V1l7NfQ
                 */
                id: components["parameters"]["FolderIdPath"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an empty folder
         * @description Deletes a folder. A folder that still holds files or sub-folders is not
         *     deleted: the answer is `409 conflict`. Move or delete its content first.
         */
        delete: operations["deleteFolder"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/user/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get account statistics
         * @description Returns the caller's totals: number of files and folders, bytes stored and
         *     bytes sent by downloads, as exact counts and as human-readable strings (see
         *     "Sizes in statistics" above for their format).
         */
        get: operations["getUserStats"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Check health
         * @description Answers `200` while the service can serve requests. Needs no API key and is never rate limited.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description A file id, `file_` followed by letters and digits.
         * @example file_nGaT9xthxccNW2k4gD7V
         */
        FileId: string;
        /**
         * @description A folder id, `fld_` followed by letters and digits.
         * @example fld_Qm8RtX2vLp9ZkW4nB7cY
         */
        FolderId: string;
        /**
         * @description A file or folder name: 1 to 255 characters, no `/` or `\`, no control
         *     characters, no bidirectional override or isolate marks (they can disguise an
         *     extension), not `.` or `..`. It must be well-formed Unicode: an unpaired UTF-16
         *     surrogate (`"\ud800"` in JSON) or U+FFFD (what a decoder leaves of bytes that
         *     are not UTF-8) is refused with `400`.
         * @example example.jpg
         */
        Name: string;
        /**
         * @description Free text about the file, up to 1000 characters of well-formed Unicode (an
         *     unpaired UTF-16 surrogate or a NUL character is refused with `400`).
         * @example My photo
         */
        Description: string | null;
        /**
         * @description A tag, 1 to 50 characters of well-formed Unicode, no commas, no control characters.
         * @example holiday
         */
        Tag: string;
        /** @description A stored file and its metadata. */
        File: {
            id: components["schemas"]["FileId"];
            name: components["schemas"]["Name"];
            /**
             * Format: int64
             * @description Size in bytes.
             */
            size: number;
            /**
             * Format: uri
             * @description Absolute URL of the file's download endpoint (needs an API key).
             */
            url: string;
            /**
             * @description The media type the file is served with (no parameters).
             * @example image/jpeg
             */
            mimeType: string;
            /** @description The folder holding the file, or `null` at the top level. */
            folderId: components["schemas"]["FolderId"] | null;
            description: components["schemas"]["Description"];
            tags: components["schemas"]["Tag"][];
            /** @description Hex SHA-256 of the content. */
            sha256: string;
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        Folder: {
            id: components["schemas"]["FolderId"];
            name: components["schemas"]["Name"];
            /** @description The parent folder, or `null` at the top level. */
            parentId: components["schemas"]["FolderId"] | null;
            createdAt: components["schemas"]["Timestamp"];
        };
        /**
         * Format: date-time
         * @description An RFC 3339 date and time in UTC.
         * @example 2026-11-24T09:15:42.120Z
         */
        Timestamp: string;
        Pagination: {
            /**
             * Format: int64
             * @description Files matching the filter, over all pages.
             */
            total: number;
            /** Format: int32 */
            limit: number;
            /**
             * Format: int64
             * @description The `offset` of the request (0 for a cursor page).
             */
            offset: number;
            /**
             * @description Pass as `cursor` to get the next page; `null` on the last page. A server that
             *     does not page by cursor may leave it out.
             */
            nextCursor?: components["schemas"]["Cursor"] | null;
        };
        /**
         * @description An opaque position in a file listing.
         * @example MjAyNi0xMS0yNFQwOToxNTo0Mi4xMjBafGZpbGVfbkdhVDl4dGh4Y2NOVzJrNGdEN1Y
         */
        Cursor: string;
        Stats: {
            /** Format: int64 */
            totalFiles: number;
            /**
             * Format: int64
             * @description Bytes stored, over all files.
             */
            totalSize: number;
            /** Format: int64 */
            totalFolders: number;
            storageUsed: components["schemas"]["HumanSize"];
            bandwidthUsed: components["schemas"]["HumanSize"];
            /**
             * Format: int64
             * @description Bytes sent by downloads (a range or an interrupted download counts what was sent).
             */
            bandwidthUsedBytes: number;
        };
        /**
         * @description A byte count in 1024-based units (see "Sizes in statistics").
         * @example 1.0 GB
         * @example 500 MB
         * @example 0 B
         */
        HumanSize: string;
        Success: {
            /** @constant */
            success: true;
        };
        FileList: {
            /** @constant */
            success: true;
            files: components["schemas"]["File"][];
            pagination: components["schemas"]["Pagination"];
        };
        FileEnvelope: {
            /** @constant */
            success: true;
            file: components["schemas"]["File"];
        };
        FolderList: {
            /** @constant */
            success: true;
            folders: components["schemas"]["Folder"][];
        };
        FolderEnvelope: {
            /** @constant */
            success: true;
            folder: components["schemas"]["Folder"];
        };
        StatsEnvelope: {
            /** @constant */
            success: true;
            stats: components["schemas"]["Stats"];
        };
        Health: {
            /** @constant */
            success: true;
            /** @constant */
            status: "ok";
            /** @description The API version the server implements (`info.version` of this contract). */
            version: string;
        };
        UploadForm: {
            /**
             * Format: binary
             * @description The file's bytes, with its name as the part's filename. At most the server's
             *     upload limit (`MAX_UPLOAD_BYTES` on the reference server, 5 GiB by default):
             *     more is refused with `413`.
             */
            file: Blob;
            folderId?: components["schemas"]["FolderId"];
            /** @description Free text about the file (no NUL character). */
            description?: string;
            /**
             * @description Comma-separated tags, e.g. `holiday, beach`: at most 50 entries of at most 50
             *     characters of well-formed Unicode, no control characters, no U+FFFD (as `Tag`).
             *     Entries are trimmed; empty entries and repeats are dropped.
             */
            tags?: string;
        };
        FileUpdate: {
            name?: components["schemas"]["Name"];
            description?: components["schemas"]["Description"];
            tags?: components["schemas"]["Tag"][];
            /** @description The folder to move the file into, or `null` for the top level. */
            folderId?: components["schemas"]["FolderId"] | null;
        };
        FolderCreate: {
            name: components["schemas"]["Name"];
            parentId?: components["schemas"]["FolderId"];
        };
        /**
         * @description What went wrong, for programs; each code goes with one HTTP status (see
         *     "Errors" above).
         * @enum {string}
         */
        ErrorCode: "bad_request" | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "conflict" | "payload_too_large" | "unsupported_media_type" | "range_not_satisfiable" | "rate_limited" | "server_error" | "insufficient_storage";
        Error: {
            /** @constant */
            success: false;
            error: {
                code: components["schemas"]["ErrorCode"];
                /** @description What went wrong, for people (free text; it may quote the request). */
                message: string;
                /** @description The request's id, also sent as `X-Request-Id`. */
                requestId?: string;
            };
        };
    };
    responses: {
        /** @description The file's bytes. `Content-Type` is the file's own `mimeType` (any media type). */
        FileContent: {
            headers: {
                "Content-Length": components["headers"]["Content-Length"];
                "Content-Disposition": components["headers"]["Content-Disposition"];
                ETag: components["headers"]["ETag"];
                "Last-Modified": components["headers"]["Last-Modified"];
                "Accept-Ranges": components["headers"]["Accept-Ranges"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "*/*": Blob;
            };
        };
        /** @description One byte range of the file. `Content-Type` is the file's own `mimeType`. */
        PartialFileContent: {
            headers: {
                "Content-Range": components["headers"]["Content-Range"];
                "Content-Length": components["headers"]["Content-Length"];
                "Content-Disposition": components["headers"]["Content-Disposition"];
                ETag: components["headers"]["ETag"];
                "Last-Modified": components["headers"]["Last-Modified"];
                "Accept-Ranges": components["headers"]["Accept-Ranges"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "*/*": Blob;
            };
        };
        /** @description The headers a `GET` would send, without the body. `Content-Length` is the file's size. */
        FileHeaders: {
            headers: {
                "Content-Length": components["headers"]["Content-Length"];
                "Content-Disposition": components["headers"]["Content-Disposition"];
                ETag: components["headers"]["ETag"];
                "Last-Modified": components["headers"]["Last-Modified"];
                "Accept-Ranges": components["headers"]["Accept-Ranges"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description The headers a ranged `GET` would send, without the body. */
        PartialFileHeaders: {
            headers: {
                "Content-Range": components["headers"]["Content-Range"];
                "Content-Length": components["headers"]["Content-Length"];
                "Content-Disposition": components["headers"]["Content-Disposition"];
                ETag: components["headers"]["ETag"];
                "Last-Modified": components["headers"]["Last-Modified"];
                "Accept-Ranges": components["headers"]["Accept-Ranges"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Content-Type-Options": components["headers"]["X-Content-Type-Options"];
                "Content-Security-Policy": components["headers"]["Content-Security-Policy"];
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description The copy named by `If-None-Match` is still current; no body. */
        NotModified: {
            headers: {
                ETag: components["headers"]["ETag"];
                "Last-Modified": components["headers"]["Last-Modified"];
                "Cache-Control": components["headers"]["Cache-Control"];
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description Deleted. */
        Deleted: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Success"];
            };
        };
        /** @description The request is invalid (parameters, body, or JSON syntax). */
        ListFilesBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request is invalid (parameters, body, or JSON syntax). */
        UploadFileBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request is invalid (parameters, body, or JSON syntax). */
        FileIdBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request is invalid (parameters, body, or JSON syntax). */
        UpdateFileBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request is invalid (parameters, body, or JSON syntax). */
        ListFoldersBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request is invalid (parameters, body, or JSON syntax). */
        CreateFolderBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request is invalid (parameters, body, or JSON syntax). */
        FolderIdBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request is invalid (parameters, body, or JSON syntax). */
        GetUserStatsBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request is invalid (a query parameter getHealth does not take). */
        HealthBadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The API key is missing, malformed, unknown or revoked. Keyless requests are limited
         *     per client address, and their answers carry no `RateLimit-*` headers.
         */
        Unauthorized: {
            headers: {
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The API key is valid but lacks the scope `files:read`. */
        ReadForbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The API key is valid but lacks the scope `files:write`. */
        WriteForbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The API key is valid but lacks the scope `user:read`. */
        StatsForbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such file for this API key's user. */
        FileNotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such folder for this API key's user. */
        FolderNotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No such file, or no such target folder (`folderId`), for this API key's user. */
        UpdateFileNotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The folder still holds files or sub-folders; nothing was deleted. */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The file is larger than the server accepts; nothing was stored. */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The server's storage is too full to take this upload; nothing was stored. Deleting
         *     files still works. Retry later or free space.
         */
        InsufficientStorage: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request body's media type is not one this operation takes. */
        UnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The requested range lies outside the file. */
        RangeNotSatisfiable: {
            headers: {
                "Content-Range": components["headers"]["Unsatisfied-Content-Range"];
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Too many requests with this API key; retry after `Retry-After` seconds. */
        RateLimited: {
            headers: {
                "Retry-After": components["headers"]["Retry-After"];
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description An unexpected failure on the server. Nothing about its cause is disclosed. */
        ServerError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /**
         * @description The file's id.
         * @example file_Hk3LxT8mQw2ZrN5vK9pB
         */
        FileIdPath: components["schemas"]["FileId"];
        /**
         * @description The folder's id.
         * @example fld_StpTj3IlPGzQ4V1l7NfQ
         */
        FolderIdPath: components["schemas"]["FolderId"];
        /**
         * @description One byte range, e.g. `bytes=0-1023`, `bytes=1024-` or `bytes=-500`. A range
         *     that cannot be parsed is ignored and the whole file is sent; several ranges
         *     are answered with the whole file.
         * @example bytes=0-4
         */
        Range: string;
        /**
         * @description An `ETag` from an earlier download; if it still matches, the answer is `304`.
         * @example "20f5fe7390abb2e1d6b45461e0fef4bd91380878701bea030c70df945cb19600"
         */
        IfNoneMatch: string;
        /**
         * @description Send the range only if the file still has this `ETag`; otherwise the whole file.
         * @example "20f5fe7390abb2e1d6b45461e0fef4bd91380878701bea030c70df945cb19600"
         */
        IfRange: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description An id for this request, also given as `error.requestId` in error bodies: the
         *     caller's own `X-Request-Id` when it is a short token of letters, digits and
         *     `._:-`, else one the server makes.
         * @example req_5f0e6a1c9b2d4e8f7a31
         */
        "X-Request-Id": string;
        /**
         * @description Requests this API key may make in the current one-minute window.
         * @example 600
         */
        "RateLimit-Limit": number;
        /**
         * @description Requests left to this API key in the current window.
         * @example 599
         */
        "RateLimit-Remaining": number;
        /**
         * @description Seconds until the current window resets.
         * @example 2
         */
        "RateLimit-Reset": number;
        /**
         * @description The quota and its window in seconds (`600;w=60`).
         * @example 600;w=60
         */
        "RateLimit-Policy": string;
        /**
         * @description Sent when the server allows browsers of the request's `Origin` to read the answer
         *     (CORS; the reference server's `CORS_ORIGINS`, off by default): that origin, or `*`.
         * @example *
         */
        "Access-Control-Allow-Origin": string;
        /**
         * @description The authentication scheme the API accepts.
         * @example Bearer realm="aethercdn"
         */
        "WWW-Authenticate": string;
        /**
         * @description Seconds to wait before retrying.
         * @example 2
         */
        "Retry-After": number;
        /**
         * @description Bytes in the body (for `HEAD`, bytes a `GET` would send).
         * @example 21
         */
        "Content-Length": number;
        /**
         * @description Always `attachment`, with an ASCII `filename` and, for names outside ASCII, an
         *     RFC 8187 `filename*` (`attachment; filename="?.jpg"; filename*=UTF-8''%E6%B5%B7.jpg`).
         * @example attachment; filename="hello.txt"
         */
        "Content-Disposition": string;
        /**
         * @description Strong entity tag, the hex SHA-256 of the content in quotes.
         * @example "20f5fe7390abb2e1d6b45461e0fef4bd91380878701bea030c70df945cb19600"
         */
        ETag: string;
        /**
         * @description When the file was uploaded (HTTP date).
         * @example Thu, 26 Nov 2026 16:40:03 GMT
         */
        "Last-Modified": string;
        /**
         * @description Always `bytes`.
         * @example bytes
         */
        "Accept-Ranges": "bytes";
        /**
         * @description Downloads may be cached by the client only (`private`), and revalidated with the `ETag`.
         * @example private, no-cache
         */
        "Cache-Control": string;
        /**
         * @description The range sent and the full size (`bytes 0-4/21`).
         * @example bytes 0-4/21
         */
        "Content-Range": string;
        /**
         * @description The full size of the file (`bytes *\/21`).
         * @example bytes *\/21
         */
        "Unsatisfied-Content-Range": string;
        /**
         * @description Always `nosniff`.
         * @example nosniff
         */
        "X-Content-Type-Options": "nosniff";
        /**
         * @description `sandbox`: a downloaded HTML or SVG file never runs as part of the API's origin.
         * @example sandbox
         */
        "Content-Security-Policy": "sandbox";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listFiles: {
        parameters: {
            query?: {
                /**
                 * @description Only files directly inside this folder.
                 * @example fld_Qm8RtX2vLp9ZkW4nB7cY
                 */
                folderId?: components["schemas"]["FolderId"];
                /**
                 * @description Maximum number of files on the page.
                 * @example 10
                 */
                limit?: number;
                /**
                 * @description Number of files to skip before the page starts.
                 * @example 0
                 */
                offset?: number;
                /**
                 * @description The `pagination.nextCursor` of the previous page: this page starts right after it.
                 *     Opaque; not combinable with `offset`.
                 * @example MjAyNi0xMS0yNFQwOToxNTo0Mi4xMjBafGZpbGVfbkdhVDl4dGh4Y2NOVzJrNGdEN1Y
                 */
                cursor?: components["schemas"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of files. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileList"];
                };
            };
            400: components["responses"]["ListFilesBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ReadForbidden"];
            404: components["responses"]["FolderNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    uploadFile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "multipart/form-data": components["schemas"]["UploadForm"];
            };
        };
        responses: {
            /** @description The file was stored. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileEnvelope"];
                };
            };
            400: components["responses"]["UploadFileBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["WriteForbidden"];
            404: components["responses"]["FolderNotFound"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
            507: components["responses"]["InsufficientStorage"];
        };
    };
    getFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The file's id.
                 * @example file_Hk3LxT8mQw2ZrN5vK9pB
                 */
                id: components["parameters"]["FileIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileEnvelope"];
                };
            };
            400: components["responses"]["FileIdBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ReadForbidden"];
            404: components["responses"]["FileNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    deleteFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The file's id.
                 * @example file_Hk3LxT8mQw2ZrN5vK9pB
                 */
                id: components["parameters"]["FileIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Deleted"];
            400: components["responses"]["FileIdBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["WriteForbidden"];
            404: components["responses"]["FileNotFound"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    updateFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The file's id.
                 * @example file_Hk3LxT8mQw2ZrN5vK9pB
                 */
                id: components["parameters"]["FileIdPath"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FileUpdate"];
            };
        };
        responses: {
            /** @description The updated file. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileEnvelope"];
                };
            };
            400: components["responses"]["UpdateFileBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["WriteForbidden"];
            404: components["responses"]["UpdateFileNotFound"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    downloadFile: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description One byte range, e.g. `bytes=0-1023`, `bytes=1024-` or `bytes=-500`. A range
                 *     that cannot be parsed is ignored and the whole file is sent; several ranges
                 *     are answered with the whole file.
                 * @example bytes=0-4
                 */
                Range?: components["parameters"]["Range"];
                /**
                 * @description An `ETag` from an earlier download; if it still matches, the answer is `304`.
                 * @example "20f5fe7390abb2e1d6b45461e0fef4bd91380878701bea030c70df945cb19600"
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
                /**
                 * @description Send the range only if the file still has this `ETag`; otherwise the whole file.
                 * @example "20f5fe7390abb2e1d6b45461e0fef4bd91380878701bea030c70df945cb19600"
                 */
                "If-Range"?: components["parameters"]["IfRange"];
            };
            path: {
                /**
                 * @description The file's id.
                 * @example file_Hk3LxT8mQw2ZrN5vK9pB
                 */
                id: components["parameters"]["FileIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["FileContent"];
            206: components["responses"]["PartialFileContent"];
            304: components["responses"]["NotModified"];
            400: components["responses"]["FileIdBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ReadForbidden"];
            404: components["responses"]["FileNotFound"];
            416: components["responses"]["RangeNotSatisfiable"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    downloadFileHead: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description One byte range, e.g. `bytes=0-1023`, `bytes=1024-` or `bytes=-500`. A range
                 *     that cannot be parsed is ignored and the whole file is sent; several ranges
                 *     are answered with the whole file.
                 * @example bytes=0-4
                 */
                Range?: components["parameters"]["Range"];
                /**
                 * @description An `ETag` from an earlier download; if it still matches, the answer is `304`.
                 * @example "20f5fe7390abb2e1d6b45461e0fef4bd91380878701bea030c70df945cb19600"
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
                /**
                 * @description Send the range only if the file still has this `ETag`; otherwise the whole file.
                 * @example "20f5fe7390abb2e1d6b45461e0fef4bd91380878701bea030c70df945cb19600"
                 */
                "If-Range"?: components["parameters"]["IfRange"];
            };
            path: {
                /**
                 * @description The file's id.
                 * @example file_Hk3LxT8mQw2ZrN5vK9pB
                 */
                id: components["parameters"]["FileIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["FileHeaders"];
            206: components["responses"]["PartialFileHeaders"];
            304: components["responses"]["NotModified"];
            400: components["responses"]["FileIdBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ReadForbidden"];
            404: components["responses"]["FileNotFound"];
            416: components["responses"]["RangeNotSatisfiable"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    listFolders: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every folder of the caller. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FolderList"];
                };
            };
            400: components["responses"]["ListFoldersBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["ReadForbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    createFolder: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FolderCreate"];
            };
        };
        responses: {
            /** @description The new folder. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FolderEnvelope"];
                };
            };
            400: components["responses"]["CreateFolderBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["WriteForbidden"];
            404: components["responses"]["FolderNotFound"];
            415: components["responses"]["UnsupportedMediaType"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    deleteFolder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The folder's id.
                 * @example fld_StpTj3IlPGzQ4V1l7NfQ
                 */
                id: components["parameters"]["FolderIdPath"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["Deleted"];
            400: components["responses"]["FolderIdBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["WriteForbidden"];
            404: components["responses"]["FolderNotFound"];
            409: components["responses"]["Conflict"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    getUserStats: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller's statistics. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Limit": components["headers"]["RateLimit-Limit"];
                    "RateLimit-Remaining": components["headers"]["RateLimit-Remaining"];
                    "RateLimit-Reset": components["headers"]["RateLimit-Reset"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StatsEnvelope"];
                };
            };
            400: components["responses"]["GetUserStatsBadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["StatsForbidden"];
            429: components["responses"]["RateLimited"];
            500: components["responses"]["ServerError"];
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The service is up. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "Access-Control-Allow-Origin": components["headers"]["Access-Control-Allow-Origin"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            400: components["responses"]["HealthBadRequest"];
            500: components["responses"]["ServerError"];
        };
    };
}
