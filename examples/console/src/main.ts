/**
 * The two screens of an image sharing console over the gateway: an owner's "who has access" (make
 * the image shareable, share it, see each member's status, remove one) and a member's "shared with
 * me" (each image by name, accept or reject). Apollo Client with the typed documents from the
 * project's codegen. Settings come from the address: `?gateway=<url>&as=<token>&image=<id>`.
 */
import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import {
  ImageMemberRowsDocument,
  RespondToShareDocument,
  SetImageVisibilityDocument,
  ShareImageDocument,
  SharedImageRowsDocument,
  UnshareImageDocument,
} from "../../../test/__generated__/graphql.js";
import { describeError } from "./errors.js";

const params = new URLSearchParams(location.search);
const gateway = params.get("gateway") ?? "http://127.0.0.1:4000/graphql";
/** The Keystone token; against `npm start`'s emulator, a project id such as demo-owner. */
const token = params.get("as") ?? "demo-owner";

const client = new ApolloClient({
  link: new HttpLink({ uri: gateway, headers: { "x-auth-token": token } }),
  cache: new InMemoryCache(),
});

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const imageInput = $<HTMLInputElement>("image-id");
imageInput.value = params.get("image") ?? "";
$("project").textContent = token;
$("gateway").textContent = gateway;

/** Runs an action; any failure shows as a readable message, cleared by the next success. */
async function act(action: () => Promise<void>): Promise<void> {
  try {
    await action();
    $("error").textContent = "";
  } catch (error) {
    $("error").textContent = describeError(error);
  }
}

function row(cells: readonly (string | Node)[]): HTMLTableRowElement {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    td.append(cell);
    tr.append(td);
  }
  return tr;
}

function button(label: string, onClick: () => Promise<void>): HTMLButtonElement {
  const element = document.createElement("button");
  element.textContent = label;
  element.addEventListener("click", () => void act(onClick));
  return element;
}

async function loadMembers(): Promise<void> {
  const imageId = imageInput.value.trim();
  const { data } = await client.query({
    query: ImageMemberRowsDocument,
    variables: { imageId },
    fetchPolicy: "network-only",
  });
  const members = data?.imageMembers ?? [];
  $("members").replaceChildren(
    ...members.map((member) =>
      row([
        member.memberId,
        member.status ?? "",
        button("Remove", async () => {
          await client.mutate({
            mutation: UnshareImageDocument,
            variables: { imageId, memberId: member.memberId },
          });
          await loadMembers();
        }),
      ]),
    ),
  );
  const summary = members[0]?.imageSummary;
  if (summary !== undefined) {
    $("image-name").textContent = summary.name ?? "";
    $("image-visibility").textContent = summary.visibility;
  }
}

async function loadShared(): Promise<void> {
  const { data } = await client.query({
    query: SharedImageRowsDocument,
    variables: { memberId: token },
    fetchPolicy: "network-only",
  });
  $("shared").replaceChildren(
    ...(data?.sharedImages ?? []).map((share) =>
      row([
        share.imageSummary.name ?? share.imageId,
        share.imageSummary.owner ?? "",
        share.status ?? "",
        share.status === "ACCEPTED"
          ? button("Reject", () => respond(share.imageId, "REJECTED"))
          : button("Accept", () => respond(share.imageId, "ACCEPTED")),
      ]),
    ),
  );
}

async function respond(imageId: string, status: "ACCEPTED" | "REJECTED"): Promise<void> {
  await client.mutate({ mutation: RespondToShareDocument, variables: { imageId, memberId: token, status } });
  await loadShared();
}

$("load").addEventListener("click", () => void act(loadMembers));
$("make-shared").addEventListener(
  "click",
  () =>
    void act(async () => {
      const { data } = await client.mutate({
        mutation: SetImageVisibilityDocument,
        variables: { imageId: imageInput.value.trim(), visibility: "SHARED" },
      });
      $("image-name").textContent = data?.setImageVisibility.name ?? "";
      $("image-visibility").textContent = data?.setImageVisibility.visibility ?? "";
    }),
);
$("share").addEventListener(
  "click",
  () =>
    void act(async () => {
      const memberId = $<HTMLInputElement>("member-id").value.trim();
      await client.mutate({
        mutation: ShareImageDocument,
        variables: { imageId: imageInput.value.trim(), memberId },
      });
      await loadMembers();
    }),
);
$("refresh-shared").addEventListener("click", () => void act(loadShared));
void act(loadShared);
document.body.dataset.ready = "true";
