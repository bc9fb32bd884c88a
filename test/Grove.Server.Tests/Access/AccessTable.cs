namespace Grove.Server.Tests.Access;

/// <summary>One route's expected answers: the route as the app's table names it, a request for it, and per caller
/// (anonymous, owner, member, other, admin, API key, expired credential: the column holds for olga's signed-out token,
/// her token past its lifetime and her key past its expiry alike) '1' = 401, '3' = 403, '4' = 404, '+' = allowed (any
/// answer that is not 401, 403 or a server error; 404 included, since an earlier caller may have deleted the sample).</summary>
internal sealed record AccessRow(string Route, string Sample, string Expect, string? Body = null, int Last = 0, string ContentType = "application/json")
{
    /// <summary>For listings: text the owner's and the admin's answer hold and the other user's must not.</summary>
    public string? Marker { get; init; }
}

/// <summary>
/// The expected answers of every route (issue 12, "Access matrix"). Callers: olga owns the samples (the tree's
/// <c>/m</c> 0750 and <c>/m/f.txt</c> 0640 for group team, a task log, a record set) and edits configs; mia is in team;
/// otto is in no group. Rows with <c>Last</c> run after the others (they delete or sign out).
/// </summary>
internal static class AccessTable
{
    //                               anon owner member other admin key expired
    private const string Public =    "+++++++";
    private const string SignedIn =  "1+++++1";
    private const string AdminOnly = "1333+31";
    private const string Read =      "1++3++1"; // read or list on an object of olga's that team may read
    private const string Write =     "1+33++1"; // write on it: only the owner
    private const string TeamWrite = "1++3++1"; // create in a folder team may write
    private const string Editors =   "1+33++1"; // the config center's editors (group config) and admins

    public static readonly AccessRow[] Rows =
    [
        // Health, console, OpenAPI: public.
        new("GET /healthz", "GET /healthz", Public),
        new("GET /readyz", "GET /readyz", Public),
        new("GET /js/pages.js", "GET /js/pages.js", Public),
        new("GET /openapi/{documentName}.json", "GET /openapi/v1.json", Public),

        // Sign-in, users, groups, keys.
        new("POST /api/v1/auth/login", "POST /api/v1/auth/login", Public, """{"user":"otto","password":"user-password-1"}"""),
        new("POST /api/v1/auth/logout", "POST /api/v1/auth/logout", SignedIn, Last: 2),
        new("GET /api/v1/auth/me", "GET /api/v1/auth/me", SignedIn),
        new("GET /api/v1/users", "GET /api/v1/users", AdminOnly),
        new("POST /api/v1/users", "POST /api/v1/users", AdminOnly, """{"name":"newbie","password":"newbie-password-1"}"""),
        new("DELETE /api/v1/users/{name}", "DELETE /api/v1/users/vic", AdminOnly, Last: 1),
        new("POST /api/v1/users/{name}/password", "POST /api/v1/users/vic/password", AdminOnly, """{"password":"another-password-1"}"""),
        new("GET /api/v1/groups", "GET /api/v1/groups", SignedIn) { Marker = "\"team\"" } /* the caller's own groups */,
        new("POST /api/v1/groups", "POST /api/v1/groups", AdminOnly, """{"name":"newgroup"}"""),
        new("DELETE /api/v1/groups/{name}", "DELETE /api/v1/groups/newgroup", AdminOnly, Last: 1),
        new("GET /api/v1/keys", "GET /api/v1/keys", SignedIn),
        new("POST /api/v1/keys", "POST /api/v1/keys", SignedIn, """{"name":"more"}"""),
        new("DELETE /api/v1/keys/{id}", "DELETE /api/v1/keys/{key}", "1+33++1", Last: 1),

        // The tree.
        new("GET /api/v1/stat/{**path}", "GET /api/v1/stat/m/f.txt", Read),
        new("GET /api/v1/ids/{id}", "GET /api/v1/ids/{fid}", Read),
        new("GET /api/v1/ls/{**path}", "GET /api/v1/ls/m", Read),
        new("GET /api/v1/files/{**path}", "GET /api/v1/files/m/f.txt", Read),
        new("POST /api/v1/query", "POST /api/v1/query", SignedIn, """{"where":{"nm":"f.txt"}}""") { Marker = "f.txt" },
        new("GET /api/v1/changes/{**path}", "GET /api/v1/changes/m", Read),
        new("GET /api/v1/watch/{**path}", "GET /api/v1/watch/m", Read),
        new("POST /api/v1/dirs/{**path}", "POST /api/v1/dirs/m/d", Write),
        new("PUT /api/v1/files/{**path}", "PUT /api/v1/files/m/f.txt", Write, "new content", ContentType: "text/plain"),
        new("PATCH /api/v1/meta/{**path}", "PATCH /api/v1/meta/m/f.txt", Write, """{"set":{"note":"x"}}"""),
        new("POST /api/v1/move", "POST /api/v1/move", Write, """{"from":"/m/mv.txt","to":"/m/moved.txt"}"""),
        new("DELETE /api/v1/objects/{**path}", "DELETE /api/v1/objects/m/victim.txt", Write, Last: 1),

        // Administration.
        new("PUT /api/v1/mounts/{**path}", "PUT /api/v1/mounts/m/mnt", AdminOnly, """{"index":"sqlite"}"""),
        new("DELETE /api/v1/mounts/{**path}", "DELETE /api/v1/mounts/m/mnt", AdminOnly, Last: 1),
        new("POST /api/v1/admin/fsck", "POST /api/v1/admin/fsck", AdminOnly),
        new("GET /api/v1/admin/storage", "GET /api/v1/admin/storage", AdminOnly),
        new("GET /api/v1/admin/memory", "GET /api/v1/admin/memory", AdminOnly),
        new("POST /api/v1/admin/reclaim", "POST /api/v1/admin/reclaim", AdminOnly),
        new("POST /api/v1/admin/sweep", "POST /api/v1/admin/sweep", AdminOnly),
        new("GET /api/v1/hooks", "GET /api/v1/hooks", AdminOnly),
        new("POST /api/v1/hooks", "POST /api/v1/hooks", AdminOnly, """{"path":"/m","on":["write"],"url":"http://127.0.0.1:9/"}"""),
        new("DELETE /api/v1/hooks/{id}", "DELETE /api/v1/hooks/{hook}", AdminOnly, Last: 1),
        new("POST /api/v1/hooks/{id}/test", "POST /api/v1/hooks/{hook}/test", AdminOnly),

        // Task logs: olga's task (0640 for team).
        new("POST /api/v1/logs", "POST /api/v1/logs", TeamWrite, """{"name":"more"}"""),
        new("GET /api/v1/logs", "GET /api/v1/logs", SignedIn) { Marker = "\"matrix\"" },
        new("GET /api/v1/logs/{id}", "GET /api/v1/logs/{task}", Read),
        new("GET /api/v1/logs/{id}/lines", "GET /api/v1/logs/{task}/lines", Read),
        new("GET /api/v1/logs/{id}/tail", "GET /api/v1/logs/{task}/tail", Read),
        new("GET /api/v1/logs/{id}/search", "GET /api/v1/logs/{task}/search?q=hello", Read),
        new("GET /api/v1/logs/{id}/follow", "GET /api/v1/logs/{task}/follow", Read),
        new("GET /api/v1/logs/{id}/download", "GET /api/v1/logs/{task}/download", Read),
        new("POST /api/v1/logs/{id}/lines", "POST /api/v1/logs/{task}/lines", Write, """{"lines":[{"n":1,"t":1767225600001,"text":"more"}]}"""),
        new("POST /api/v1/logs/{id}/heartbeat", "POST /api/v1/logs/{task}/heartbeat", Write),
        new("POST /api/v1/logs/{id}/finish", "POST /api/v1/logs/{task}/finish", Write, """{"status":"succeeded","exitCode":0}""", Last: 1),
        new("DELETE /api/v1/logs/{id}", "DELETE /api/v1/logs/{task}", Write, Last: 2),

        // Record sets: olga's r1 (0640 for team).
        new("GET /api/v1/records", "GET /api/v1/records", SignedIn) { Marker = "\"r1\"" },
        new("PUT /api/v1/records/{set}", "PUT /api/v1/records/r1", Write, """{"tableName":"t_r1","fields":[{"name":"id","type":"String"},{"name":"v","type":"Integer"}],"pks":["id"]}"""),
        new("GET /api/v1/records/{set}", "GET /api/v1/records/r1", Read),
        new("GET /api/v1/records/{set}/stats", "GET /api/v1/records/r1/stats", Read),
        new("POST /api/v1/records/{set}/rotate", "POST /api/v1/records/r1/rotate", Write),
        new("POST /api/v1/records/{set}/find", "POST /api/v1/records/r1/find", Read, "{}"),
        new("POST /api/v1/records/{set}/rows", "POST /api/v1/records/r1/rows", Write, """{"id":"k2","v":2}"""),
        new("POST /api/v1/records/{set}/batch", "POST /api/v1/records/r1/batch", Write, """{"rows":[{"id":"k3","v":3}]}"""),
        new("POST /api/v1/records/{set}/bulk", "POST /api/v1/records/r1/bulk", Write, """{"id":"k4","v":4}""", ContentType: "application/x-ndjson"),
        new("GET /api/v1/records/{set}/rows/{key}", "GET /api/v1/records/r1/rows/k1", Read),
        new("PATCH /api/v1/records/{set}/rows/{key}", "PATCH /api/v1/records/r1/rows/k1", Write, """{"v":5}"""),
        new("PUT /api/v1/records/{set}/rows/{key}", "PUT /api/v1/records/r1/rows/k1", Write, """{"id":"k1","v":6}"""),
        new("DELETE /api/v1/records/{set}/rows/{key}", "DELETE /api/v1/records/r1/rows/k1", Write, Last: 1),

        // Queues (mq mounts): write on the queue folder to push, pop, ack; read to list.
        new("POST /api/v1/mq/push/{**queue}", "POST /api/v1/mq/push/m", Write, "job"),
        new("POST /api/v1/mq/pop/{**queue}", "POST /api/v1/mq/pop/m", Write),
        new("POST /api/v1/mq/ack/{**queue}", "POST /api/v1/mq/ack/m", Write, """{"receipt":"r"}"""),
        new("POST /api/v1/mq/nack/{**queue}", "POST /api/v1/mq/nack/m", Write, """{"receipt":"r"}"""),
        new("GET /api/v1/mq/ls/{**queue}", "GET /api/v1/mq/ls/m", Read),
        new("GET /api/v1/mq/stats", "GET /api/v1/mq/stats", SignedIn) /* queues the caller may list */,

        // Partner messages: olga acts for partner acme; members of 'messages' read all.
        new("POST /api/v1/messages/{partner}/{type}", "POST /api/v1/messages/acme/order", "1+33++1", """{"id":"1"}"""),
        new("GET /api/v1/messages", "GET /api/v1/messages?partner=acme", "1+33++1"),
        new("GET /api/v1/messages/{id:long}", "GET /api/v1/messages/{msg}", SignedIn),
        new("GET /api/v1/messages/{partner}/by-source/{sourceId}", "GET /api/v1/messages/acme/by-source/1", "1+33++1"),
        new("GET /api/v1/messages/{id:long}/original", "GET /api/v1/messages/{msg}/original", SignedIn),
        new("GET /api/v1/messages/{id:long}/pdf", "GET /api/v1/messages/{msg}/pdf", SignedIn),
        new("GET /api/v1/messages/{partner}/by-source/{sourceId}/pdf", "GET /api/v1/messages/acme/by-source/1/pdf", "1+33++1"),
        new("GET /api/v1/messages/print", "GET /api/v1/messages/print?partner=acme", "1+33++1"),
        new("GET /api/v1/messages/problems", "GET /api/v1/messages/problems", AdminOnly) /* and the readers group */,

        // The config center's own API: signed-in callers read, editors (group config) write, admins set the limiter.
        new("GET /api/v1/config", "GET /api/v1/config", SignedIn),
        new("PUT /api/v1/config/items/{group}/{dataId}", "PUT /api/v1/config/items/G/app.yaml", Editors, """{"content":"a: 1"}"""),
        new("GET /api/v1/config/items/{group}/{dataId}", "GET /api/v1/config/items/G/app.yaml", SignedIn),
        new("DELETE /api/v1/config/items/{group}/{dataId}", "DELETE /api/v1/config/items/G/app.yaml", Write, Last: 1),
        new("POST /api/v1/config/items/{group}/{dataId}/preview", "POST /api/v1/config/items/G/app.yaml/preview", SignedIn, """{"content":"a: 2"}"""),
        new("POST /api/v1/config/validate", "POST /api/v1/config/validate", SignedIn, """{"content":"a: 1","type":"yaml"}"""),
        new("GET /api/v1/config/items/{group}/{dataId}/history", "GET /api/v1/config/items/G/app.yaml/history", Editors),
        new("GET /api/v1/config/items/{group}/{dataId}/history/{id:long}", "GET /api/v1/config/items/G/app.yaml/history/1", Editors),
        new("GET /api/v1/config/items/{group}/{dataId}/diff", "GET /api/v1/config/items/G/app.yaml/diff?from=1", Editors),
        new("POST /api/v1/config/items/{group}/{dataId}/rollback", "POST /api/v1/config/items/G/app.yaml/rollback", Write, """{"id":1}"""),
        new("GET /api/v1/config/audit", "GET /api/v1/config/audit", Editors),
        new("GET /api/v1/config/items/{group}/{dataId}/beta", "GET /api/v1/config/items/G/app.yaml/beta", Write),
        new("PUT /api/v1/config/items/{group}/{dataId}/beta", "PUT /api/v1/config/items/G/app.yaml/beta", Write, """{"content":"a: 3","ips":["10.0.0.1"]}"""),
        new("DELETE /api/v1/config/items/{group}/{dataId}/beta", "DELETE /api/v1/config/items/G/app.yaml/beta", Write),
        new("POST /api/v1/config/items/{group}/{dataId}/beta/promote", "POST /api/v1/config/items/G/app.yaml/beta/promote", Write),
        new("GET /api/v1/config/items/{group}/{dataId}/listeners", "GET /api/v1/config/items/G/app.yaml/listeners", Editors),
        new("GET /api/v1/config/listeners", "GET /api/v1/config/listeners?ip=127.0.0.1", Editors),
        new("GET /api/v1/config/limiter", "GET /api/v1/config/limiter", Editors),
        new("PUT /api/v1/config/limiter", "PUT /api/v1/config/limiter", AdminOnly, """{"count":100000}"""),
        new("GET /api/v1/config/stats", "GET /api/v1/config/stats", Editors),
        new("GET /api/v1/config/export", "GET /api/v1/config/export", Editors),
        new("POST /api/v1/config/import", "POST /api/v1/config/import", Write, "not a zip", ContentType: "application/zip"),
        new("GET /api/v1/config/watch", "GET /api/v1/config/watch?keys=G/app.yaml", SignedIn),
        new("POST /api/v1/config/watch", "POST /api/v1/config/watch", SignedIn, """{"items":[{"group":"G","dataId":"app.yaml"}]}"""),
        new("POST /api/v1/config/listen", "POST /api/v1/config/listen?timeout=200", SignedIn, """{"items":[{"group":"G","dataId":"app.yaml","md5":""}]}"""),

        // Nacos's and Diamond's protocols: anonymous reads (AnonymousReads), editors write; the bearer is accepted.
        new("GET /nacos/v1/cs/configs", "GET /nacos/v1/cs/configs?dataId=app.yaml&group=G", "++++++3") /* a bad token is refused, not ignored */,
        new("POST /nacos/v1/cs/configs", "POST /nacos/v1/cs/configs", "3+33++3", "dataId=n.yaml&group=G&content=a", ContentType: "application/x-www-form-urlencoded"),
        new("DELETE /nacos/v1/cs/configs", "DELETE /nacos/v1/cs/configs?dataId=n.yaml&group=G", "3+33++3", Last: 1),
        new("POST /nacos/v1/cs/configs/listener", "POST /nacos/v1/cs/configs/listener", "++++++3", "Listening-Configs=", ContentType: "application/x-www-form-urlencoded"),
        new("GET /nacos/v1/cs/configs/listener", "GET /nacos/v1/cs/configs/listener?dataId=app.yaml&group=G", "3+++++3"),
        new("GET /nacos/v1/cs/history", "GET /nacos/v1/cs/history?search=accurate&dataId=app.yaml&group=G", "3+33++3"),
        new("GET /nacos/v1/cs/history/previous", "GET /nacos/v1/cs/history/previous?id=1&dataId=app.yaml&group=G", "3+33++3"),
        new("POST /nacos/v1/auth/login", "POST /nacos/v1/auth/login", Public, "username=otto&password=user-password-1", ContentType: "application/x-www-form-urlencoded"),
        new("POST /nacos/v1/auth/users/login", "POST /nacos/v1/auth/users/login", Public, "username=otto&password=user-password-1", ContentType: "application/x-www-form-urlencoded"),
        new("GET /diamond-server/config.co", "GET /diamond-server/config.co?dataId=app.yaml&group=G", "++++++1"),
        new("POST /diamond-server/config.co", "POST /diamond-server/config.co", "++++++1", "Probe-Modify-Request=", ContentType: "application/x-www-form-urlencoded"),
        new("GET /diamond-server/notify.do", "GET /diamond-server/notify.do?method=notifyConfigInfo&dataId=app.yaml&group=G", Public),
        new("POST /diamond-server/notify.do", "POST /diamond-server/notify.do?method=notifyConfigInfo&dataId=app.yaml&group=G", Public),
        new("GET /diamond-server/login.do", "GET /diamond-server/login.do?method=login&username=otto&password=user-password-1", Public),
        new("POST /diamond-server/login.do", "POST /diamond-server/login.do?method=login&username=otto&password=user-password-1", Public),
        new("GET /diamond-server/admin.do", "GET /diamond-server/admin.do?method=listConfig&pageNo=1&pageSize=10", "3+33++1"),
        new("POST /diamond-server/admin.do", "POST /diamond-server/admin.do?method=postConfig", "3+33++1", "dataId=d.yaml&group=G&content=a", ContentType: "application/x-www-form-urlencoded"),
    ];
}
