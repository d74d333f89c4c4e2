// The dashboard's one-line GET search form (playground, products list): a text field that fills
// the row, optional extra fields, and the submit button with the route's loading state.
import { Form, useNavigation } from "@remix-run/react";
import { Button, InlineStack, TextField } from "@shopify/polaris";
import type { ReactNode } from "react";

export interface SearchFormProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  submitLabel: string;
  primary?: boolean;
  error?: string;
  /** Extra fields placed between the text field and the button (e.g. a Select). */
  children?: ReactNode;
}

export function SearchForm({
  label,
  value,
  onChange,
  placeholder,
  submitLabel,
  primary,
  error,
  children,
}: SearchFormProps) {
  const navigation = useNavigation();
  return (
    <Form method="get">
      <InlineStack gap="300" blockAlign="end">
        <div style={{ flex: 1 }}>
          <TextField
            label={label}
            name="q"
            value={value}
            onChange={onChange}
            autoComplete="off"
            placeholder={placeholder}
            error={error}
          />
        </div>
        {children}
        <Button submit variant={primary ? "primary" : undefined} loading={navigation.state === "loading"}>
          {submitLabel}
        </Button>
      </InlineStack>
    </Form>
  );
}
