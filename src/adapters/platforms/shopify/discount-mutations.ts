// The Admin GraphQL documents coupons at checkout sends, and the inputs it
// builds from a Rekindle coupon's terms. Shapes, from Shopify's GraphQL Admin
// reference (API version 2025-10):
// - discountCodeBasicCreate(basicCodeDiscount: DiscountCodeBasicInput!) and
//   discountCodeBasicUpdate(id, basicCodeDiscount) → { codeDiscountNode { id }
//   userErrors { code field message } }
//   (shopify.dev/docs/api/admin-graphql/2025-10/mutations/discountCodeBasicCreate,
//   .../input-objects/DiscountCodeBasicInput: title, code, startsAt, endsAt,
//   context, customerGets, minimumRequirement, usageLimit,
//   appliesOncePerCustomer; `context` replaces the deprecated
//   customerSelection: { all: ALL } or { customers: { add: [ID!] } },
//   .../input-objects/DiscountContextInput, DiscountCustomersInput).
// - customerGets: { value: { percentage: 0.15 } | { discountAmount: { amount,
//   appliesOnEachItem } }, items: { all: true } } (DiscountCustomerGetsInput,
//   DiscountCustomerGetsValueInput, DiscountAmountInput);
//   minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal } }
//   (DiscountMinimumRequirementInput, DiscountMinimumSubtotalInput).
// - discountCodeFreeShippingCreate(freeShippingCodeDiscount:
//   DiscountCodeFreeShippingInput!) and discountCodeFreeShippingUpdate(id, ...):
//   the same fields less customerGets, plus destination: { all: true }
//   (.../input-objects/DiscountCodeFreeShippingInput).
// - discountRedeemCodeBulkAdd(discountId: ID!, codes: [DiscountRedeemCodeInput!]!)
//   → { bulkCreation { id } userErrors }; at most 250 codes a call; the codes
//   are added asynchronously (.../mutations/discountRedeemCodeBulkAdd).
// - discountRedeemCodeBulkCreation(id) → { done codesCount importedCount
//   failedCount codes(first) { nodes { code errors { code field message } } } }:
//   whether the job has run, and each code's errors (TAKEN: the code exists)
//   (.../queries/discountRedeemCodeBulkCreation, objects/DiscountRedeemCodeBulkCreationCode).
// - codeDiscountNodeByCode(code) → { id }: finds the discount holding a code
//   (.../queries/codeDiscountNodeByCode).
// usageLimit and appliesOncePerCustomer count per redeem code, not per
// discount (Shopify's answer on community.shopify.dev, "Scope of usageLimit
// for Discounts with Multiple Codes via discountRedeemCodeBulkAdd").
import type { CheckoutCoupon } from '../../../core/delivery/checkout-codes.ts';
import { fromMinorUnits } from '../../../core/money.ts';

export const maxCodesPerBulkAdd = 250;

const userErrors = 'userErrors { code field message }';

export const createBasic = `mutation CreateBasic($input: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $input) { codeDiscountNode { id } ${userErrors} }
}`;

export const updateBasic = `mutation UpdateBasic($id: ID!, $input: DiscountCodeBasicInput!) {
  discountCodeBasicUpdate(id: $id, basicCodeDiscount: $input) { codeDiscountNode { id } ${userErrors} }
}`;

export const createFreeShipping = `mutation CreateFreeShipping($input: DiscountCodeFreeShippingInput!) {
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: $input) { codeDiscountNode { id } ${userErrors} }
}`;

export const updateFreeShipping = `mutation UpdateFreeShipping($id: ID!, $input: DiscountCodeFreeShippingInput!) {
  discountCodeFreeShippingUpdate(id: $id, freeShippingCodeDiscount: $input) { codeDiscountNode { id } ${userErrors} }
}`;

export const bulkAdd = `mutation AddCodes($discountId: ID!, $codes: [DiscountRedeemCodeInput!]!) {
  discountRedeemCodeBulkAdd(discountId: $discountId, codes: $codes) { bulkCreation { id } ${userErrors} }
}`;

export const bulkCreation = `query AddedCodes($id: ID!) {
  discountRedeemCodeBulkCreation(id: $id) {
    done codesCount importedCount failedCount
    codes(first: ${maxCodesPerBulkAdd}) { nodes { code errors { code field message } } }
  }
}`;

export const discountByCode = `query DiscountByCode($code: String!) {
  codeDiscountNodeByCode(code: $code) { id }
}`;

export interface UserError {
  code?: string | null;
  field?: string[] | null;
  message: string;
}

export interface MutationPayload {
  codeDiscountNode?: { id: string } | null;
  userErrors: UserError[];
}

export interface BulkCreation {
  done: boolean;
  codesCount?: number;
  importedCount?: number;
  failedCount?: number;
  codes: { nodes: { code: string; errors: UserError[] }[] };
}

/** The customers who may use a discount: anyone, or these Shopify customer ids. */
export type Buyers = { all: true } | { customers: string[] };

/** A Rekindle customer id that is a Shopify customer id (what the webhooks store), as its GID. */
export function customerGid(customerId: string): string | null {
  return /^\d+$/.test(customerId) ? `gid://shopify/Customer/${customerId}` : null;
}

function context(buyers: Buyers) {
  return 'all' in buyers ? { all: 'ALL' } : { customers: { add: buyers.customers } };
}

function decimal(minor: number, currency: string): string {
  return fromMinorUnits(minor, currency);
}

/** The input that creates the offer's discount, with `first.code` as its first code. */
export function discountInput(
  first: CheckoutCoupon,
  discount: { title: string; startsAt: number; endsAt: number | null; buyers: Buyers },
): Record<string, unknown> {
  const shared = {
    title: discount.title,
    code: first.code,
    startsAt: new Date(discount.startsAt).toISOString(),
    endsAt: discount.endsAt === null ? null : new Date(discount.endsAt).toISOString(),
    context: context(discount.buyers),
    minimumRequirement:
      first.minSubtotalMinor === null
        ? null
        : { subtotal: { greaterThanOrEqualToSubtotal: decimal(first.minSubtotalMinor, first.currency) } },
    usageLimit: first.usesAllowed,
    appliesOncePerCustomer: first.usesAllowed === 1,
  };
  if (first.kind === 'free_shipping') return { ...shared, destination: { all: true } };
  const value =
    first.kind === 'percent_off'
      ? { percentage: first.value / 100 }
      : { discountAmount: { amount: decimal(first.value, first.currency), appliesOnEachItem: false } };
  return { ...shared, customerGets: { value, items: { all: true } } };
}

/** The input that moves the end date later and lets more customers use a discount. */
export function discountUpdate(change: {
  endsAt?: number | null | undefined;
  customers?: string[] | undefined;
}): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (change.endsAt !== undefined)
    input.endsAt = change.endsAt === null ? null : new Date(change.endsAt).toISOString();
  if (change.customers?.length) input.context = { customers: { add: change.customers } };
  return input;
}
